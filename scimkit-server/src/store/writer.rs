//! SQLite's one writer, with group commit.
//!
//! SQLite takes one writer at a time, and with `synchronous = FULL` each commit waits for the
//! disk. Writers that queue behind one another therefore share a transaction: each request runs
//! in a savepoint of the open transaction on one connection kept for writes, and the last of
//! the queue commits for all of them. No request is answered before the commit that holds its
//! change returns from the disk, so an acknowledged write still survives a crash; a failed
//! request rolls back to its savepoint, leaving the others' changes; a failed commit fails every
//! request it held, none of which was acknowledged.
//!
//! One connection for every write also keeps its page cache warm: in WAL mode a connection
//! drops its cache whenever another connection has written.
//!
//! Checkpoints (copying the WAL back into the database file) run beside the writer, on a
//! connection of their own, after commits: SQLite's automatic checkpoint would run inside the
//! commit that crosses its threshold and make every request of that batch wait for it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Executor};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};
use tokio::task::JoinHandle;

/// Requests one commit may hold at most (a bound on how long the first of them waits).
const MAX_BATCH: usize = 64;

/// The savepoint each request runs in.
const SAVEPOINT: &str = "SAVEPOINT scimkit_write";

/// WAL frames (pages) past which the writer starts the WAL over (16 MiB of 4 KiB pages).
const RESTART_FRAMES: i64 = 4096;

/// The writer's busy timeout (as the pool's: another process may hold SQLite's write lock).
const BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// The shortest time between two checkpoints.
const CHECKPOINT_GAP: Duration = Duration::from_millis(250);

/// The connection kept for writes, and the requests waiting for it.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    state: Arc<Mutex<State>>,
    /// Requests waiting to begin: while there are some, a finished request leaves the
    /// transaction open for them rather than committing.
    waiting: Arc<AtomicUsize>,
    /// Woken after each commit.
    committed: Arc<Notify>,
    /// Set by the checkpoints when the WAL has grown past [`RESTART_FRAMES`].
    restart: Arc<AtomicBool>,
    checkpoints: Arc<AbortOnDrop>,
}

/// The checkpoint task, stopped with the last clone of its writer.
#[derive(Debug)]
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[derive(Debug)]
struct State {
    conn: SqliteConnection,
    /// The open transaction, if one is.
    batch: Option<Arc<Batch>>,
    /// Requests whose savepoint was released into the open transaction.
    pending: usize,
    /// A request left its savepoint without finishing (an error, or it was dropped): undone
    /// before anything else runs on the connection.
    abandoned: bool,
}

/// One transaction's outcome, shared by every request it holds.
#[derive(Debug, Default)]
struct Batch {
    outcome: OnceLock<Result<(), String>>,
    /// Woken when `outcome` is set.
    done: Notify,
}

/// A request's turn at the writer: its savepoint is open on the connection.
#[derive(Debug)]
pub(crate) struct WriteTx {
    guard: Option<OwnedMutexGuard<State>>,
    writer: Writer,
}

/// Counts a request as waiting while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn new(n: &Arc<AtomicUsize>) -> Self {
        n.fetch_add(1, Ordering::SeqCst);
        Self(n.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Writer {
    /// Opens the connection kept for writes.
    pub(crate) async fn open(options: &SqliteConnectOptions) -> Result<Self, sqlx::Error> {
        let conn = SqliteConnection::connect_with(options).await?;
        let committed = Arc::new(Notify::new());
        let mut checkpointer = SqliteConnection::connect_with(options).await?;
        let wake = committed.clone();
        let restart = Arc::new(AtomicBool::new(false));
        let grown = restart.clone();
        let checkpoints = tokio::spawn(async move {
            loop {
                wake.notified().await;
                // PASSIVE: copies what no reader still needs, waiting for no one.
                match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
                    .fetch_one(&mut checkpointer)
                    .await
                {
                    Ok((_, frames, _)) => grown.store(frames >= RESTART_FRAMES, Ordering::SeqCst),
                    Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
                }
                tokio::time::sleep(CHECKPOINT_GAP).await;
            }
        });
        Ok(Self {
            state: Arc::new(Mutex::new(State {
                conn,
                batch: None,
                pending: 0,
                abandoned: false,
            })),
            waiting: Arc::new(AtomicUsize::new(0)),
            committed,
            restart,
            checkpoints: Arc::new(AbortOnDrop(checkpoints)),
        })
    }

    /// Waits for the writer and opens this request's savepoint, joining the open
    /// transaction or beginning one.
    ///
    /// The work runs in a task of its own: a request cancelled half-way (its client hung up)
    /// must not leave the connection between two states, say inside a `BEGIN` whose batch
    /// was never recorded. A turn that no one takes is dropped, which undoes its savepoint.
    pub(crate) async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let writer = self.clone();
        let waiting = Waiting::new(&self.waiting);
        tokio::spawn(async move { writer.take_turn(waiting).await })
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("the writer's turn did not start: {e}")))?
    }

    async fn take_turn(self, waiting: Waiting) -> Result<WriteTx, sqlx::Error> {
        let mut guard = self.state.clone().lock_owned().await;
        drop(waiting);
        guard.settle().await;
        if guard.batch.is_none() {
            guard.conn.execute("BEGIN IMMEDIATE").await?;
            guard.batch = Some(Arc::new(Batch::default()));
        }
        if let Err(e) = guard.conn.execute(SAVEPOINT).await {
            guard.fail(&e).await;
            return Err(e);
        }
        Ok(WriteTx {
            guard: Some(guard),
            writer: self,
        })
    }

    /// Closes the connection (after every request has finished).
    pub(crate) async fn close(&self) {
        let mut guard = self.state.lock().await;
        guard.settle().await;
        if guard.batch.take().is_some() {
            // Not reachable while requests finish before the store closes; nothing in it
            // was acknowledged.
            let _ = guard.conn.execute("ROLLBACK").await;
        }
        self.checkpoints.0.abort();
    }
}

impl State {
    /// Undoes an abandoned savepoint; with nothing else pending, ends the transaction so
    /// SQLite's write lock is not held idle.
    async fn settle(&mut self) {
        if self.abandoned {
            self.abandoned = false;
            let undone = self
                .conn
                .execute("ROLLBACK TO scimkit_write; RELEASE scimkit_write")
                .await;
            if let Err(e) = undone {
                // The transaction itself is gone (SQLite rolls back on some errors).
                self.fail(&e).await;
                return;
            }
        }
        if self.pending == 0 && self.batch.take().is_some() {
            let _ = self.conn.execute("ROLLBACK").await;
        }
    }

    /// Ends the open transaction as failed: every request it held gets the error.
    async fn fail(&mut self, e: &sqlx::Error) {
        let _ = self.conn.execute("ROLLBACK").await;
        if let Some(batch) = self.batch.take() {
            let _ = batch.outcome.set(Err(e.to_string()));
            batch.done.notify_waiters();
        }
        self.pending = 0;
    }

    async fn commit(&mut self) {
        let Some(batch) = self.batch.take() else {
            return;
        };
        let outcome = self.conn.execute("COMMIT").await.map(drop);
        if outcome.is_err() {
            let _ = self.conn.execute("ROLLBACK").await;
        }
        self.pending = 0;
        let _ = batch.outcome.set(outcome.map_err(|e| e.to_string()));
        batch.done.notify_waiters();
    }

    /// Starts the WAL over from its beginning. The checkpoints beside the writer copy it back
    /// but cannot restart it: the writer begins its next transaction on the old WAL before
    /// they end. So when it has grown, the writer checkpoints between two transactions, which
    /// waits (SQLite's busy handler) until no reader still reads the WAL.
    /// The wait is short: a reader that holds on is waited out at a later restart, not
    /// by the writers queued behind this one.
    async fn restart(&mut self) {
        let _ = self.conn.execute("PRAGMA busy_timeout = 50").await;
        if let Err(e) = self.conn.execute("PRAGMA wal_checkpoint(RESTART)").await {
            tracing::debug!(error = %e, "WAL restart deferred");
        }
        let _ = self.conn.execute(BUSY_TIMEOUT).await;
    }
}

impl WriteTx {
    /// The connection, inside this request's savepoint.
    pub(crate) fn conn(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        self.guard.as_mut().map(|g| &mut g.conn).ok_or_else(ended)
    }

    /// Releases the savepoint into the open transaction and returns once a commit that holds
    /// it has reached the disk. Runs to the end, in a task of its own, even if the request is
    /// dropped meanwhile.
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        let Some(mut guard) = self.guard.take() else {
            return Err(ended());
        };
        let writer = self.writer.clone();
        let done = tokio::spawn(async move {
            if let Err(e) = guard.conn.execute("RELEASE scimkit_write").await {
                guard.abandoned = true;
                guard.settle().await;
                return Err(e);
            }
            let Some(batch) = guard.batch.clone() else {
                // The transaction failed under the savepoint (fail() ended it).
                return Err(ended());
            };
            guard.pending += 1;
            let mut held = Some(guard);
            loop {
                let notified = batch.done.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if let Some(outcome) = batch.outcome.get() {
                    return outcome
                        .clone()
                        .map_err(|e| sqlx::Error::Protocol(format!("commit failed: {e}")));
                }
                let mut guard = match held.take() {
                    Some(g) => g,
                    None => tokio::select! {
                        () = &mut notified => continue,
                        g = writer.state.clone().lock_owned() => g,
                    },
                };
                if batch.outcome.get().is_some() {
                    continue;
                }
                if writer.waiting.load(Ordering::SeqCst) == 0 || guard.pending >= MAX_BATCH {
                    guard.settle().await;
                    guard.commit().await;
                    writer.committed.notify_one();
                    // The batch is answered; the writers after it wait for this.
                    if writer.restart.swap(false, Ordering::SeqCst) {
                        guard.restart().await;
                    }
                    continue;
                }
                // Requests are waiting: they join this transaction, and the last commits it.
                drop(guard);
            }
        });
        done.await
            .map_err(|e| sqlx::Error::Protocol(format!("commit did not finish: {e}")))?
    }
}

/// A write transaction used after it ended (not reachable through [`WriteTx`]'s API).
fn ended() -> sqlx::Error {
    sqlx::Error::Protocol("the write transaction has ended".into())
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else {
            return;
        };
        guard.abandoned = true;
        // Undo it now if a runtime is there to run it on; else the next writer does.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                guard.settle().await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use super::*;

    /// A database file in the temporary directory, removed (with its WAL) when dropped.
    struct Scratch(std::path::PathBuf);

    impl Drop for Scratch {
        fn drop(&mut self) {
            for end in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{end}", self.0.display()));
            }
        }
    }

    /// A writer on a new database holding one table `t (k)`.
    async fn writer() -> (Writer, SqliteConnectOptions, Scratch) {
        let path = std::env::temp_dir().join(format!("scimkit-writer-{}.db", uuid::Uuid::new_v4()));
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let w = Writer::open(&options).await.unwrap();
        let mut tx = w.begin().await.unwrap();
        tx.conn()
            .unwrap()
            .execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        (w, options, Scratch(path))
    }

    async fn keys(options: &SqliteConnectOptions) -> Vec<i64> {
        let mut c = SqliteConnection::connect_with(options).await.unwrap();
        sqlx::query("SELECT k FROM t ORDER BY k")
            .fetch_all(&mut c)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// A commit that fails (here a deferred foreign key, checked only at COMMIT) fails the
    /// requests it held, keeps none of their changes, and leaves the writer working.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_commit_fails_its_requests_and_keeps_nothing() {
        let (w, options, _scratch) = writer().await;
        let mut tx = w.begin().await.unwrap();
        tx.conn()
            .unwrap()
            .execute(
                "CREATE TABLE p (k INTEGER PRIMARY KEY); \
                 CREATE TABLE c (k INTEGER, r INTEGER REFERENCES p (k) DEFERRABLE INITIALLY DEFERRED)",
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = w.begin().await.unwrap();
        let conn = tx.conn().unwrap();
        conn.execute("INSERT INTO t (k) VALUES (7)").await.unwrap();
        // Accepted by the statement and by the savepoint's release; refused at COMMIT.
        conn.execute("INSERT INTO c (k, r) VALUES (1, 999)")
            .await
            .unwrap();
        let failed = tx.commit().await.unwrap_err();
        assert!(failed.to_string().contains("commit failed"), "{failed}");
        assert_eq!(keys(&options).await, Vec::<i64>::new());
        let mut tx = w.begin().await.unwrap();
        tx.conn()
            .unwrap()
            .execute("INSERT INTO t (k) VALUES (8)")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(keys(&options).await, vec![8]);
        w.close().await;
    }

    /// Requests cancelled at any point (a client that hung up) leave the writer working: the
    /// ones that returned from commit are on disk, and nothing else is.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancelled_requests_never_wedge_the_writer() {
        let (w, options, _scratch) = writer().await;
        let committed = Arc::new(std::sync::Mutex::new(Vec::new()));
        for round in 0..40_i64 {
            let mut tasks = Vec::new();
            for i in 0..16_i64 {
                let (w, committed) = (w.clone(), committed.clone());
                let k = round * 16 + i;
                tasks.push(tokio::spawn(async move {
                    let mut tx = w.begin().await?;
                    sqlx::query("INSERT INTO t (k) VALUES (?)")
                        .bind(k)
                        .execute(tx.conn()?)
                        .await?;
                    tx.commit().await?;
                    committed.lock().unwrap().push(k);
                    Ok::<(), sqlx::Error>(())
                }));
            }
            // Cancel some of them wherever they are: waiting, in BEGIN, in a query, in commit.
            for _ in 0..(round % 7) {
                tokio::task::yield_now().await;
            }
            for (i, t) in tasks.iter().enumerate() {
                if (i as i64 + round) % 3 == 0 {
                    t.abort();
                }
            }
            for t in tasks {
                if let Ok(r) = t.await {
                    r.unwrap();
                }
            }
        }
        // The writer still takes writes.
        let mut tx = w.begin().await.unwrap();
        sqlx::query("INSERT INTO t (k) VALUES (100000)")
            .execute(tx.conn().unwrap())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut want = committed.lock().unwrap().clone();
        want.push(100_000);
        want.sort_unstable();
        let got = keys(&options).await;
        // Acknowledged writes are all there; an aborted request whose commit had begun may
        // be there too, never anything else.
        for k in &want {
            assert!(got.contains(k), "acknowledged {k} lost");
        }
        assert!(got.iter().all(|k| *k < 640 || *k == 100_000), "{got:?}");
        w.close().await;
    }

    /// Concurrent requests share commits; each one's change is on disk when it returns, a
    /// failed one leaves the others', and a dropped one leaves nothing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writers_commit_together_and_fail_alone() {
        let (w, options, _scratch) = writer().await;
        let mut tasks = Vec::new();
        for k in 0..64_i64 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = w.begin().await?;
                sqlx::query("INSERT INTO t (k) VALUES (?)")
                    .bind(k % 48)
                    .execute(tx.conn()?)
                    .await?;
                if k % 10 == 9 {
                    // Dropped before commit: its row must not appear.
                    sqlx::query("INSERT INTO t (k) VALUES (?)")
                        .bind(1000 + k)
                        .execute(tx.conn()?)
                        .await?;
                    return Ok::<bool, sqlx::Error>(false);
                }
                tx.commit().await?;
                Ok(true)
            }));
        }
        let mut committed = Vec::new();
        let mut refused = 0;
        for (k, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(true) => committed.push(i64::try_from(k).unwrap() % 48),
                Ok(false) => {}
                // A duplicate key (k and k + 48) fails alone.
                Err(_) => refused += 1,
            }
        }
        // Let the dropped requests' undo run.
        let tx = w.begin().await.unwrap();
        tx.commit().await.unwrap();
        committed.sort_unstable();
        committed.dedup();
        assert_eq!(keys(&options).await, committed);
        assert!(refused > 0, "k and k + 48 collide for some k");
        w.close().await;
    }
}
