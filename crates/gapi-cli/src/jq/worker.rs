//! `gapi __jq-worker`: the child process that runs a `--jq` program (see [`super`]).
//!
//! Reads the program, answers whether it compiled, then answers each input with a
//! [`Reply`] until stdin ends. The work runs on a thread with a large stack, so deep but
//! legitimate programs and values succeed; one that still overflows kills this process
//! only, and gapi reports it.

use std::io::{BufReader, BufWriter, Write};
use std::process::ExitCode;

use super::engine::Engine;
use super::wire::{Kind, Reply, read_frame};

/// The worker thread's stack (reserved address space; pages are used only when touched).
const STACK: usize = 256 << 20;

/// The worker's `main`.
pub fn main() -> ExitCode {
    let spawned = std::thread::Builder::new()
        .name("jq".into())
        .stack_size(STACK)
        .spawn(serve);
    match spawned.map(|t| t.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(e))) => {
            eprintln!("gapi jq worker: {e}");
            ExitCode::FAILURE
        }
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("gapi jq worker: cannot start its thread: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> std::io::Result<()> {
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    let Some(code) = read_frame(&mut input)? else {
        return Ok(());
    };
    let engine = match Engine::compile(&String::from_utf8_lossy(&code)) {
        Ok(engine) => {
            Reply::new(Kind::Ok, Vec::new()).write_to(&mut output)?;
            engine
        }
        Err(msg) => {
            Reply::new(Kind::Error, msg.into_bytes()).write_to(&mut output)?;
            return output.flush();
        }
    };
    output.flush()?;
    while let Some(json) = read_frame(&mut input)? {
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.run(&json)))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Reply::new(Kind::Error, format!("jaq failed: {what}").into_bytes())
            });
        reply.write_to(&mut output)?;
        output.flush()?;
    }
    Ok(())
}
