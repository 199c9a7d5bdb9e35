//! A SCIM 2.0 service provider embedding scimkit: an in-memory store behind axum, every SCIM
//! decision taken by `scimkit::provider::Provider`. Users show the groups listing them
//! (`groups`, from a `Memberships` index kept under the store's lock).
//!
//! ```sh
//! SCIMKIT_TOKEN=secret cargo run --example server -- --port 8080
//! curl -H 'Authorization: Bearer secret' http://127.0.0.1:8080/scim/v2/Users
//! ```
//!
//! Options: `--bind ADDR` (default `127.0.0.1`), `--port N` (default 0: a free port, printed),
//! `--profile rfc|identity-center`, `--compat strict|entra|okta|jumpcloud|lenient`, and
//! `--load-check [--clients N] [--seconds S] [--members M]`, which serves on a free loopback
//! port, runs N concurrent clients against one group of M members, and reports.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod app;
mod load;

use std::process::ExitCode;

use scimkit::Compat;
use scimkit::aws::IdentityCenter;
use scimkit::provider::{Profile, Provider};
use scimkit::schema::Uniqueness;

const USAGE: &str = "usage: server [--bind ADDR] [--port N] [--profile rfc|identity-center]
              [--compat strict|entra|okta|jumpcloud|lenient]
              [--load-check [--clients N] [--seconds S] [--members M]]

The bearer token is read from SCIMKIT_TOKEN, or generated and printed.";

/// Command-line options.
struct Options {
    bind: String,
    port: u16,
    profile: Profile,
    compat: Compat,
    load: Option<load::Options>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        bind: "127.0.0.1".to_owned(),
        port: 0,
        profile: Profile::Rfc,
        compat: Compat::strict(),
        load: None,
    };
    let mut load = load::Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        let number = |v: &String| {
            v.parse::<u64>()
                .map_err(|_| format!("{arg}: not a number: {v}"))
        };
        match arg.as_str() {
            "--bind" => o.bind.clone_from(value()?),
            "--port" => {
                o.port = value()?
                    .parse()
                    .map_err(|_| "--port: not a port".to_owned())?;
            }
            "--profile" => {
                o.profile = match value()?.as_str() {
                    "rfc" => Profile::Rfc,
                    "identity-center" => Profile::IdentityCenter(IdentityCenter::new()),
                    other => return Err(format!("unknown profile `{other}`")),
                }
            }
            "--compat" => {
                let v = value()?;
                o.compat = Compat::preset(v).ok_or_else(|| format!("unknown compat `{v}`"))?;
            }
            "--load-check" => o.load = Some(load::Options::default()),
            "--clients" => load.clients = usize::try_from(number(value()?)?).unwrap_or(1),
            "--seconds" => load.seconds = number(value()?)?,
            "--members" => load.members = usize::try_from(number(value()?)?).unwrap_or(0),
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if o.load.is_some() {
        o.load = Some(load);
    }
    Ok(o)
}

/// The provider the server runs: the RFC schemas, group names unique (as Identity Center and
/// most IdPs expect), the chosen profile and compatibility switches.
fn provider(base_url: &str, profile: Profile, compat: Compat) -> Provider {
    Provider::new(base_url)
        .with_uniqueness("Group", "displayName", Uniqueness::Server)
        .with_profile(profile)
        .with_compat(compat)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(o) => o,
        // `--help`: the usage on stdout, and success.
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("server: {e}\n");
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match options.load {
            Some(load) => load::run(load, options.profile, options.compat).await,
            None => serve(options).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(o: Options) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind((o.bind.as_str(), o.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", o.bind, o.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = format!("http://{addr}/scim/v2");
    let token = match std::env::var("SCIMKIT_TOKEN") {
        Ok(t) if !t.is_empty() => {
            println!("token: from SCIMKIT_TOKEN");
            t
        }
        _ => {
            let t = uuid::Uuid::new_v4().simple().to_string();
            println!("token: {t}");
            t
        }
    };
    println!("base URL: {base_url}");
    let app = app::App::new(provider(&base_url, o.profile, o.compat), token);
    axum::serve(listener, app::router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
