//! Shell completion through a real bash: the script from `gapi completions bash` asks
//! `gapi __complete` and fills COMPREPLY, including across bash's `=` and `:` word breaks.

use std::process::Command;

/// Runs the bash completion function for `line` (cursor at its end) and returns COMPREPLY.
fn bash_complete(line: &str) -> Vec<String> {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_gapi"));
    let script = Command::new(bin)
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let script_path = dir.path().join("gapi.bash");
    std::fs::write(&script_path, &script.stdout).unwrap();
    // COMP_WORDS as bash splits them (COMP_WORDBREAKS has = and :).
    let driver = r#"
source "$1"
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
IFS=$'\n' read -r -d '' -a COMP_WORDS < <(printf '%s' "$COMP_LINE" | sed -E 's/([=:])/ \1 /g' | tr -s ' ' '\n'; [[ "$COMP_LINE" =~ [[:space:]=:]$ ]] && printf '\n'; printf '\0')
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
compopt() { :; }
_gapi
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-c", driver, "driver"])
        .arg(&script_path)
        .arg(line)
        .env("PATH", path)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_apis_resources_methods_parameters_and_enums() {
    assert!(bash_complete("gapi dri").contains(&"drive".to_string()));
    assert_eq!(bash_complete("gapi drive fi"), ["files"]);
    let methods = bash_complete("gapi drive files ");
    assert!(
        methods.contains(&"list".to_string()) && methods.contains(&"create".to_string()),
        "{methods:?}"
    );
    assert_eq!(
        bash_complete("gapi drive files list -p pageS"),
        ["pageSize="]
    );
    // After `=` bash completes only the part after it.
    assert_eq!(
        bash_complete("gapi drive files list -p corpus="),
        ["domain", "user"]
    );
    // After `:` too.
    assert_eq!(bash_complete("gapi drive:v"), ["v2", "v3"]);
}

#[test]
fn every_shell_gets_a_script_that_calls_back() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = Command::new(env!("CARGO_BIN_EXE_gapi"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("gapi __complete"), "{shell}: {text}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_gapi"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
