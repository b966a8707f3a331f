# Sourced by the build benchmarks (program_a_build.sh, typed_compile_cost.sh): a fresh binary
# crate outside the workspace, as a Rust developer starts one.
#
#     scratch_crate DIR NAME DEPENDENCY-LINES
#
# writes DIR/NAME/Cargo.toml (edition 2024, its own `[workspace]`, so the gapi workspace does
# not claim it) with those lines under `[dependencies]`, and an empty DIR/NAME/src/.
scratch_crate() {
  mkdir -p "$1/$2/src"
  cat >"$1/$2/Cargo.toml" <<TOML
[package]
name = "$2"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$3

[workspace]
TOML
}
