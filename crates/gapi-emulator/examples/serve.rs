//! Serves an emulator until Ctrl-C, for trying it by hand before the `gapi emulator` command:
//! `cargo run -p gapi-emulator --example serve -- [--auto-approve] [PORT]`.

use gapi_emulator::{Emulator, EmulatorConfig};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = args.iter().find_map(|a| a.parse::<u16>().ok()).unwrap_or(0);
    let config = EmulatorConfig {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        auto_approve: args.iter().any(|a| a == "--auto-approve"),
        ..Default::default()
    };
    match Emulator::start(config).await {
        Ok(emulator) => {
            println!("{}", emulator.base_url());
            emulator.wait().await;
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
