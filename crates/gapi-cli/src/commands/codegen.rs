//! `gapi codegen API:VERSION METHOD... -o FILE.rs`: writes a typed Rust module for the named
//! methods and the schemas they reach (see the `gapi-codegen` crate), to be checked in.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::exit;

/// `gapi codegen`
#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// The API: `drive:v3` (bundled; `drive` for the preferred version), or a Discovery
    /// document file (`FILE.json`).
    #[arg(value_name = "API[:VERSION]|FILE.json")]
    pub api: String,
    /// Methods by dotted path (`files.list`); `files.*` for a resource's methods, `*` for all.
    #[arg(value_name = "METHOD", num_args = 1.., required = true)]
    pub methods: Vec<String>,
    /// Where to write the module (`-` for stdout).
    #[arg(short = 'o', long, value_name = "FILE.rs")]
    pub output: PathBuf,
}

/// Generates and writes the module.
pub fn run(args: CodegenArgs) -> anyhow::Result<ExitCode> {
    let file = std::path::Path::new(&args.api);
    let builder = if args.api.ends_with(".json") || file.is_file() {
        gapi_codegen::Builder::document_file(file)
    } else {
        gapi_codegen::Builder::new(&args.api)
    };
    let builder = builder.methods(args.methods.iter().cloned());
    let text = builder.generate().map_err(|e| match e {
        gapi_codegen::Error::Write { .. } => anyhow::Error::new(e),
        other => exit::usage(other.to_string()),
    })?;
    if args.output.as_os_str() == "-" {
        print!("{text}");
    } else {
        std::fs::write(&args.output, &text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.output.display()))?;
        eprintln!(
            "wrote {} ({} lines); use it with `mod {};` and the `gapi` crate",
            args.output.display(),
            text.lines().count(),
            args.output
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "api".into())
        );
    }
    Ok(ExitCode::SUCCESS)
}
