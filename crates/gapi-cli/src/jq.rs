//! `--jq EXPR`: a jq program run over the response (or each item of `--page-all`, or each
//! `--batch` result line), with jaq, a pure-Rust jq. As `gh api --jq` does, string results
//! print raw and everything else as one line of compact JSON.
//!
//! The program runs in a child process (`gapi __jq-worker`, [`worker`]), on a thread with a
//! large stack: jaq has no depth or fuel limit, and a program that recurses without end or
//! builds a value nested too deep overflows whatever stack it has, which aborts the process.
//! In the child that stops the program only, and gapi says so (exit 1). The results for a
//! response are held until the program has finished with it, so a failure prints nothing
//! of that response.
//!
//! `halt_error` prints its message and makes gapi exit 1 (jq exits 5, which gapi uses for
//! "the API answered 5xx"); `halt` ends the program for that response with its results.
//! Beyond jaq's library: `@csv`, `@tsv`, `$ENV`, and a `fromjson` that refuses text nested
//! deeper than jq's own limit (10,000).

mod engine;
mod wire;
pub mod worker;

use std::io::{BufReader, Read, Seek, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use anyhow::Context;

use crate::exit;
use wire::{Kind, Reply, write_frame};

/// The first argument that makes `gapi` the jq worker (checked before argument parsing).
pub const WORKER_ARG: &str = "__jq-worker";

/// A compiled jq program, held by its worker process.
pub struct Jq {
    worker: Mutex<Worker>,
}

struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// The child's stderr (a crash report, if it crashes).
    log: std::fs::File,
    /// Set once the worker has stopped: nothing more can run.
    stopped: Option<String>,
}

impl Jq {
    /// Compiles `code` (in the worker); a program that does not parse or names unknown
    /// filters is a usage error (exit 2).
    pub fn compile(code: &str) -> anyhow::Result<Jq> {
        let exe = std::env::current_exe().context("--jq: cannot find the gapi program")?;
        let log = tempfile::tempfile().context("--jq: cannot create a temporary file")?;
        let mut child = Command::new(exe)
            .arg(WORKER_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log.try_clone()?)
            .spawn()
            .context("--jq: cannot start the jq worker")?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            anyhow::bail!("--jq: the jq worker has no pipes");
        };
        let jq = Jq {
            worker: Mutex::new(Worker {
                child,
                stdin: Some(stdin),
                stdout: BufReader::new(stdout),
                log,
                stopped: None,
            }),
        };
        let reply = jq.exchange(code.as_bytes())?;
        match reply.kind {
            Kind::Ok => Ok(jq),
            _ => Err(exit::usage(
                String::from_utf8_lossy(&reply.body).into_owned(),
            )),
        }
    }

    /// Runs the program over one JSON value: every result, one per line, once the program
    /// has finished with it. What the program said (`debug`, `stderr`, `halt_error`) goes
    /// to stderr first.
    pub fn run(&self, input: &serde_json::Value) -> anyhow::Result<Vec<u8>> {
        let json = serde_json::to_vec(input)?;
        let reply = self.exchange(&json)?;
        if !reply.messages.is_empty() {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(&reply.messages);
            let _ = err.flush();
        }
        match reply.kind {
            Kind::Ok | Kind::Halt(0) => Ok(reply.body),
            Kind::Error => Err(anyhow::anyhow!(
                "--jq: {} (nothing of this response was printed)",
                String::from_utf8_lossy(&reply.body)
            )),
            Kind::Halt(code) => Err(anyhow::anyhow!(
                "--jq: the program stopped with halt_error({code}); gapi exits 1 for it (jq \
                 would exit {code}, but gapi's 2 to 6 say other things, 5 \"the API answered \
                 5xx\"); nothing of this response was printed"
            )),
        }
    }

    /// Runs the program over one JSON value and writes its results.
    pub fn write(&self, out: &mut dyn Write, input: &serde_json::Value) -> anyhow::Result<()> {
        let bytes = self.run(input)?;
        out.write_all(&bytes)?;
        Ok(())
    }

    /// Sends one frame and reads the worker's reply; a worker that died says why.
    fn exchange(&self, frame: &[u8]) -> anyhow::Result<Reply> {
        let mut w = self.worker.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(why) = &w.stopped {
            anyhow::bail!("--jq: {why}");
        }
        let sent = match w.stdin.as_mut() {
            Some(stdin) => write_frame(stdin, frame).and_then(|()| stdin.flush()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        let reply = match sent {
            Ok(()) => Reply::read_from(&mut w.stdout),
            Err(e) => Err(e),
        };
        match reply {
            Ok(Some(reply)) => Ok(reply),
            _ => {
                let why = w.crash_report();
                w.stopped = Some(why.clone());
                Err(anyhow::anyhow!("--jq: {why}"))
            }
        }
    }
}

impl Worker {
    /// Why the worker stopped answering, from its exit status and what it printed.
    fn crash_report(&mut self) -> String {
        self.stdin = None;
        let _ = self.child.kill();
        let status = self.child.wait().ok();
        let mut log = String::new();
        let _ = self.log.rewind();
        let _ = (&mut self.log).take(64 << 10).read_to_string(&mut log);
        let nothing = "nothing of this response was printed";
        if log.contains("overflowed its stack") {
            return format!(
                "the program ran out of stack (recursion too deep, or a value nested too deep) \
                 and was stopped; {nothing}"
            );
        }
        if log.contains("memory allocation") {
            return format!("the program ran out of memory and was stopped; {nothing}");
        }
        if let Some(line) = log.lines().find(|l| l.contains("panicked")) {
            return format!("the jq engine failed ({}); {nothing}", line.trim());
        }
        #[cfg(unix)]
        if let Some(signal) = status.and_then(|s| std::os::unix::process::ExitStatusExt::signal(&s))
        {
            return format!(
                "the program was stopped by signal {signal}{}; {nothing}",
                if signal == 9 { " (out of memory?)" } else { "" }
            );
        }
        format!(
            "the jq worker stopped ({}); {nothing}",
            status.map_or("no status".into(), |s| s.to_string())
        )
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin ends a waiting worker; one still running a program is stopped.
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
