//! Who a call runs as, proven end to end for every identity-deciding option
//! (`--profile`, `--impersonate-service-account`, `--subject`, `--api-key`, `--anonymous`) in
//! every position: before the API (or `mcp`) name, after it, split around it, and through its
//! environment variable where one exists; for a single call, a `--batch` run and `gapi mcp`
//! (driven by the official MCP Python SDK).
//!
//! Accounts are told apart by the emulator: `drive about.get` answers the caller's email
//! (alice, the default profile and a Token Creator of the robot service account; bob; the
//! robot; bob through the robot's domain-wide delegation). An API key or no credentials at all
//! are told by a small recording server started here, which answers with what the request
//! carried: `api-key:<key>`, `anonymous`, or `bearer` (a stored account was sent instead).

use crate::common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{Setup, login_loopback, run};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const CLOUD: &str = "https://www.googleapis.com/auth/cloud-platform";
const DRIVE: &str = "https://www.googleapis.com/auth/drive";
const BOB: &str = "bob@example.com";
const KEY: &str = "AIzaTEST-identity-key-0123456789";

/// Which server a case talks to.
#[derive(Clone, Copy, PartialEq)]
enum Server {
    /// The emulator: accounts.
    Emulator,
    /// The recording server: API key or nothing.
    Recorder,
}

/// One way of asking for an identity: options (`flag`, value) and, when one of them has an
/// environment variable, that variable.
struct Case {
    name: &'static str,
    options: Vec<(&'static str, Option<&'static str>)>,
    /// (variable, value, index of the option it replaces).
    env: Option<(&'static str, &'static str, usize)>,
    server: Server,
    /// What about.get answers (the emulator: the caller's email; the recorder: what was sent).
    expect: String,
    /// Texts the `-v` identity line must hold.
    says: Vec<String>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "profile",
            options: vec![("--profile", Some("bob"))],
            env: Some(("GAPI_PROFILE", "bob", 0)),
            server: Server::Emulator,
            expect: BOB.into(),
            says: vec!["profile `bob`".into()],
        },
        Case {
            name: "impersonation",
            options: vec![("--impersonate-service-account", Some(ROBOT))],
            env: Some(("GAPI_IMPERSONATE_SERVICE_ACCOUNT", ROBOT, 0)),
            server: Server::Emulator,
            expect: ROBOT.into(),
            says: vec![
                format!("service account {ROBOT}, impersonated by"),
                "profile `default`".into(),
            ],
        },
        Case {
            name: "service-account profile with a subject",
            options: vec![("--profile", Some("robot")), ("--subject", Some(BOB))],
            env: Some(("GAPI_PROFILE", "robot", 0)),
            server: Server::Emulator,
            expect: BOB.into(),
            says: vec![
                "profile `robot`".into(),
                format!("acting for {BOB} (domain-wide delegation)"),
            ],
        },
        Case {
            name: "impersonation with a subject",
            options: vec![
                ("--impersonate-service-account", Some(ROBOT)),
                ("--subject", Some(BOB)),
            ],
            env: Some(("GAPI_IMPERSONATE_SERVICE_ACCOUNT", ROBOT, 0)),
            server: Server::Emulator,
            expect: BOB.into(),
            says: vec![
                format!("service account {ROBOT}, impersonated by"),
                format!("acting for {BOB} (domain-wide delegation)"),
            ],
        },
        Case {
            name: "API key",
            options: vec![("--api-key", Some(KEY))],
            env: Some(("GAPI_API_KEY", KEY, 0)),
            server: Server::Recorder,
            expect: format!("api-key:{KEY}"),
            says: vec!["identity: an API key".into()],
        },
        Case {
            name: "anonymous",
            options: vec![("--anonymous", None)],
            env: None,
            server: Server::Recorder,
            expect: "anonymous".into(),
            says: vec!["identity: anonymous".into()],
        },
    ]
}

/// One placement of a case's options: tokens before the name, after it, and environment.
struct Placement {
    label: String,
    before: Vec<String>,
    after: Vec<String>,
    env: Vec<(String, String)>,
}

fn tokens(option: &(&str, Option<&str>)) -> Vec<String> {
    let mut t = vec![option.0.to_string()];
    t.extend(option.1.map(String::from));
    t
}

/// Every placement of a case: all before, all after, each option on either side (for two),
/// and the environment variable with the other options before and after.
fn placements(case: &Case) -> Vec<Placement> {
    let all: Vec<String> = case.options.iter().flat_map(tokens).collect();
    let mut out = vec![
        Placement {
            label: "before".into(),
            before: all.clone(),
            after: vec![],
            env: vec![],
        },
        Placement {
            label: "after".into(),
            before: vec![],
            after: all,
            env: vec![],
        },
    ];
    if case.options.len() == 2 {
        for (first, second) in [(0, 1), (1, 0)] {
            out.push(Placement {
                label: format!(
                    "{} before, {} after",
                    case.options[first].0, case.options[second].0
                ),
                before: tokens(&case.options[first]),
                after: tokens(&case.options[second]),
                env: vec![],
            });
        }
    }
    if let Some((var, value, replaced)) = case.env {
        let rest: Vec<String> = case
            .options
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != replaced)
            .flat_map(|(_, o)| tokens(o))
            .collect();
        let env = vec![(var.to_string(), value.to_string())];
        if rest.is_empty() {
            out.push(Placement {
                label: var.to_string(),
                before: vec![],
                after: vec![],
                env,
            });
        } else {
            out.push(Placement {
                label: format!("{var}, the rest before"),
                before: rest.clone(),
                after: vec![],
                env: env.clone(),
            });
            out.push(Placement {
                label: format!("{var}, the rest after"),
                before: vec![],
                after: rest,
                env,
            });
        }
    }
    out
}

/// The emulator with three profiles (alice as the default, bob, the robot's key) and a
/// recording server.
struct World {
    setup: Setup,
    recorder: String,
}

impl World {
    async fn new() -> World {
        let setup = Setup::new(true).await;
        for (hint, profile) in [("alice@example.com", "default"), (BOB, "bob")] {
            login_loopback(
                &setup,
                &[
                    "--scope",
                    CLOUD,
                    "--scope",
                    DRIVE,
                    "--login-hint",
                    hint,
                    "--profile",
                    profile,
                ],
            )
            .await;
        }
        let key = setup.dir.path().join("robot.json");
        setup.emulator.write_service_account_key(&key).unwrap();
        let mut cmd = setup.gapi();
        cmd.args(["auth", "activate-service-account", "--key-file"])
            .arg(&key)
            .args(["--profile", "robot"]);
        let out = run(cmd).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
        let recorder = start_recorder().await;
        World { setup, recorder }
    }

    fn endpoint(&self, server: Server) -> String {
        match server {
            Server::Emulator => format!("{}/", self.setup.base()),
            Server::Recorder => self.recorder.clone(),
        }
    }

    /// The environment every run gets: the emulator's IAM and token endpoints, the server.
    fn env(&self, server: Server) -> Vec<(String, String)> {
        vec![
            (
                "GAPI_IAM_ENDPOINT".into(),
                format!("{}/_/iamcredentials/v1/", self.setup.base()),
            ),
            (
                "GAPI_TOKEN_URI".into(),
                format!("{}/token", self.setup.base()),
            ),
            ("GAPI_ENDPOINT".into(), self.endpoint(server)),
        ]
    }

    /// `gapi` with a clean identity environment plus `env`.
    fn gapi(&self, server: Server, env: &[(String, String)]) -> tokio::process::Command {
        let mut cmd = self.setup.gapi();
        cmd.env_remove("GAPI_ACCESS_TOKEN")
            .env_remove("GAPI_API_KEY")
            .env_remove("GAPI_IMPERSONATE_SERVICE_ACCOUNT")
            .env("HOME", self.setup.dir.path());
        for (k, v) in self.env(server).iter().chain(env) {
            cmd.env(k, v);
        }
        cmd
    }
}

/// A server that answers every request with who it came from, as about.get would:
/// `{"user": {"emailAddress": "api-key:<key>" | "anonymous" | "bearer"}}`; a batch gets one
/// such part per part sent.
async fn start_recorder() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut data = Vec::new();
                let mut buf = [0u8; 8192];
                let head_end = loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    data.extend_from_slice(&buf[..n]);
                    if let Some(p) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                        break p + 4;
                    }
                };
                let head = String::from_utf8_lossy(&data[..head_end]).to_string();
                let headers: BTreeMap<String, String> = head
                    .lines()
                    .skip(1)
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .collect();
                let length: usize = headers
                    .get("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                while data.len() < head_end + length {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => data.extend_from_slice(&buf[..n]),
                    }
                }
                let body = &data[head_end..];
                let who = match (headers.get("authorization"), headers.get("x-goog-api-key")) {
                    (Some(_), _) => "bearer".to_string(),
                    (None, Some(key)) => format!("api-key:{key}"),
                    (None, None) => "anonymous".to_string(),
                };
                let answer = json!({"user": {"emailAddress": who}}).to_string();
                let boundary = headers
                    .get("content-type")
                    .and_then(|t| t.split("boundary=").nth(1))
                    .map(|b| b.trim_matches('"').to_string());
                let (content_type, reply) = match boundary {
                    Some(b) => {
                        let parts = String::from_utf8_lossy(body)
                            .matches(&format!("--{b}\r\n"))
                            .count();
                        let mut reply = String::new();
                        for _ in 0..parts {
                            reply.push_str(&format!(
                                "--reply\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{answer}\r\n"
                            ));
                        }
                        reply.push_str("--reply--\r\n");
                        ("multipart/mixed; boundary=reply".to_string(), reply)
                    }
                    None => ("application/json".to_string(), answer),
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}/")
}

fn words(parts: &[&[String]]) -> Vec<String> {
    parts.iter().flat_map(|p| p.iter().cloned()).collect()
}

/// Extra environment variables of a run.
type Env = Vec<(String, String)>;

/// What each run answered, against what it should have: the list of mismatches.
type Failures = Vec<String>;

fn check(failures: &mut Failures, what: &str, got: Option<&str>, expect: &str, detail: &str) {
    if got != Some(expect) {
        failures.push(format!(
            "{what}: ran as {got:?}, asked for {expect:?}\n    {detail}"
        ));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_single_call_runs_as_the_options_say_in_every_position() {
    let world = World::new().await;
    let mut failures = Failures::new();
    let mut runs = 0;
    for case in cases() {
        for place in placements(&case) {
            let call: Vec<String> = ["drive", "about", "get", "-p", "fields=user/emailAddress"]
                .map(String::from)
                .to_vec();
            // -v first: the identity line is checked on every run too.
            let argv = words(&[&["-v".to_string()], &place.before, &call, &place.after]);
            let mut cmd = world.gapi(case.server, &place.env);
            cmd.args(&argv);
            let out = run(cmd).await;
            runs += 1;
            let what = format!("{} ({}): gapi {}", case.name, place.label, argv.join(" "));
            let v: Value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
            check(
                &mut failures,
                &what,
                v["user"]["emailAddress"].as_str(),
                &case.expect,
                &format!("exit {}: {}", out.code, out.stderr.trim()),
            );
            let line = out
                .stderr
                .lines()
                .find(|l| l.contains("identity:"))
                .unwrap_or_default();
            for needle in &case.says {
                if !line.contains(needle.as_str()) {
                    failures.push(format!("{what}: -v does not say {needle:?}: {line:?}"));
                }
            }
            if out.stderr.contains(KEY) {
                failures.push(format!("{what}: the API key shows on stderr"));
            }
        }
    }
    assert!(runs >= 20, "{runs}");
    assert!(
        failures.is_empty(),
        "{} of {runs} runs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_runs_as_the_options_say_in_every_position() {
    let world = World::new().await;
    let lines = world.setup.dir.path().join("calls.ndjson");
    std::fs::write(
        &lines,
        "{\"method\":\"about.get\",\"params\":{\"fields\":\"user/emailAddress\"}}\n\
         {\"method\":\"drive.about.get\",\"params\":{\"fields\":\"user/emailAddress\"}}\n",
    )
    .unwrap();
    let lines = lines.display().to_string();
    let mut failures = Failures::new();
    let mut runs = 0;
    for case in cases() {
        for place in placements(&case) {
            let batch: Vec<String> = vec!["drive".into(), "--batch".into(), lines.clone()];
            let argv = words(&[&place.before, &batch, &place.after]);
            let mut cmd = world.gapi(case.server, &place.env);
            cmd.args(&argv);
            let out = run(cmd).await;
            runs += 1;
            let what = format!("{} ({}): gapi {}", case.name, place.label, argv.join(" "));
            let answers: Vec<Value> = out
                .stdout
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
            if answers.len() != 2 {
                failures.push(format!(
                    "{what}: {} answers for 2 lines (exit {}): {}{}",
                    answers.len(),
                    out.code,
                    out.stdout,
                    out.stderr
                ));
                continue;
            }
            for a in &answers {
                check(
                    &mut failures,
                    &what,
                    a["body"]["user"]["emailAddress"].as_str(),
                    &case.expect,
                    &a.to_string(),
                );
            }
        }
    }
    assert!(runs >= 20, "{runs}");
    assert!(
        failures.is_empty(),
        "{} of {runs} runs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gapi_mcp_runs_as_the_options_it_was_started_with() {
    let world = Arc::new(World::new().await);
    let mut sessions = Vec::new();
    let mut labels = Vec::new();
    for case in cases() {
        for place in placements(&case) {
            let args = words(&[&place.before, &["mcp".to_string()], &place.after]);
            let mut env: BTreeMap<String, String> = world.env(case.server).into_iter().collect();
            env.extend(place.env.iter().cloned());
            labels.push((
                format!("{} ({}): gapi {}", case.name, place.label, args.join(" ")),
                case.expect.clone(),
            ));
            sessions.push(json!({"args": args, "env": env}));
        }
    }
    let python = std::env::var("GAPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/mcp_identity.py");
    let mut cmd = tokio::process::Command::new(&python);
    cmd.arg(script)
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .arg(Value::Array(sessions).to_string())
        .env("GAPI_CONFIG_DIR", world.setup.config_dir())
        .env("HOME", world.setup.dir.path())
        .env_remove("GAPI_PROFILE")
        .env_remove("GAPI_ENDPOINT")
        .env_remove("GAPI_READ_ONLY")
        .env_remove("GAPI_ACCESS_TOKEN")
        .env_remove("GAPI_API_KEY")
        .env_remove("GAPI_IMPERSONATE_SERVICE_ACCOUNT")
        .env(
            "CLOUDSDK_CONFIG",
            world.setup.config_dir().join("no-gcloud"),
        )
        .kill_on_drop(true);
    let out = tokio::time::timeout(std::time::Duration::from_secs(600), cmd.output())
        .await
        .expect("the MCP sessions finished")
        .unwrap_or_else(|e| {
            panic!("could not run {python}: {e}; set GAPI_TEST_PYTHON (target/test-env.sh)")
        });
    assert!(
        out.status.success(),
        "{python} {script} failed (is PyPI mcp installed? source target/test-env.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).expect("the client printed JSON");
    assert_eq!(answers.len(), labels.len());
    let mut failures = Failures::new();
    for ((what, expect), answer) in labels.iter().zip(&answers) {
        check(
            &mut failures,
            what,
            answer["structured"]["user"]["emailAddress"].as_str(),
            expect,
            &answer.to_string(),
        );
    }
    assert!(labels.len() >= 20, "{}", labels.len());
    assert!(
        failures.is_empty(),
        "{} of {} sessions:\n{}",
        failures.len(),
        labels.len(),
        failures.join("\n")
    );
}

/// Options asking for two identities are refused before anything is sent, in every entry.
#[tokio::test(flavor = "multi_thread")]
async fn options_asking_for_two_identities_are_refused() {
    let world = World::new().await;
    let conflicts: Vec<(Vec<&str>, Env)> = vec![
        (vec!["--anonymous", "--api-key", KEY], vec![]),
        (vec!["--api-key", KEY, "--subject", BOB], vec![]),
        (
            vec!["--api-key", KEY, "--impersonate-service-account", ROBOT],
            vec![],
        ),
        (vec!["--anonymous", "--profile", "bob"], vec![]),
        (
            vec!["--profile", "bob"],
            vec![("GAPI_API_KEY".into(), KEY.into())],
        ),
        (
            vec!["--profile", "bob"],
            vec![("GAPI_ACCESS_TOKEN".into(), "ya29.other".into())],
        ),
    ];
    for (options, env) in conflicts {
        for entry in [
            vec!["drive", "about", "get", "-p", "fields=user"],
            vec!["drive", "--batch", "-"],
            vec!["mcp"],
            vec!["auth", "print-access-token"],
        ] {
            let argv: Vec<&str> = options.iter().chain(&entry).copied().collect();
            let mut cmd = world.gapi(Server::Recorder, &env);
            cmd.args(&argv);
            let out = run(cmd).await;
            assert_eq!(
                out.code,
                2,
                "gapi {}: {}{}",
                argv.join(" "),
                out.stdout,
                out.stderr
            );
            assert!(
                out.stderr.contains("give only one")
                    || out.stderr.contains("needs an account")
                    || out.stderr.contains("unset GAPI_ACCESS_TOKEN"),
                "gapi {}: {}",
                argv.join(" "),
                out.stderr
            );
            assert!(!out.stderr.contains(KEY), "{}", out.stderr);
        }
    }
}
