#!/bin/sh
# Lines of code of the front-door examples (crates/gapi/examples, rustfmt-formatted) beside
# their Python counterparts (python/, black-style): lines that are neither blank nor comments.
# Rust's count includes the tokio::main boilerplate (attribute, `async fn main`, `Ok(())`, `}`).
#     sh bench/frontdoor/count_lines.sh
set -eu
here=$(dirname "$0")
examples="$here/../../crates/gapi/examples"
count() { grep -cvE '^[[:space:]]*($|//|#[^[!]|#$)' "$1"; }
printf '%-24s %5s %7s\n' program rust python
for name in list_drive_files persist_login service_account pages_upload_download typed_drive application_default batch; do
    [ -f "$examples/$name.rs" ] || continue
    printf '%-24s %5s %7s\n' "$name" "$(count "$examples/$name.rs")" "$(count "$here/python/$name.py")"
done
