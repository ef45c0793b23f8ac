//! The `hocso` binary itself: production refuses to start unsafely; the admin CLI works.

use std::io::Write;
use std::process::{Command, Stdio};

fn hocso() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hocso"));
    command
        .env_remove("HOCSO_JWT_SECRET")
        .env_remove("HOCSO_JWT_SECRET_FILE")
        .env_remove("HOCSO_DEMO")
        .env_remove("HOCSO_PUBLIC_URL")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "hocso");
    command
}

#[test]
fn production_without_a_secret_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let output = hocso()
        .arg("serve")
        .env("HOCSO_ENV", "production")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/p.db?mode=rwc", dir.path().display()),
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("HOCSO_JWT_SECRET"), "{stderr}");
    assert!(
        !dir.path().join("p.db").exists(),
        "refused before touching the database"
    );
}

#[test]
fn production_refuses_demo_accounts() {
    let output = hocso()
        .arg("demo")
        .env("HOCSO_ENV", "production")
        .env("HOCSO_JWT_SECRET", "x".repeat(48))
        .env("HOCSO_PUBLIC_URL", "https://hocso.hanoi.gov.vn")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("refused in production"), "{stderr}");
}

#[test]
fn the_first_admin_comes_from_the_cli_with_the_password_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/a.db?mode=rwc", dir.path().display());
    let create = |password: &str| {
        let mut child = hocso()
            .args([
                "admin",
                "create",
                "--name",
                "Trần Minh Quân",
                "--contact",
                "quan@hanoi.gov.vn",
            ])
            .env("DATABASE_URL", &url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = create("12345678\n");
    assert!(!weak.status.success(), "a common password is refused");
    let ok = create("một câu mật khẩu đủ dài\n");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("administrator created"));
    let again = create("một câu mật khẩu đủ dài\n");
    assert!(!again.status.success(), "the same contact twice is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already registered"));
}

#[test]
fn invalid_content_stops_the_server_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("modules")).unwrap();
    std::fs::write(
        content.join("framework.toml"),
        "levels = [\n  { level = 1 }\n",
    )
    .unwrap();
    std::fs::write(content.join("positions.toml"), "positions = []\n").unwrap();
    let output = hocso()
        .arg("serve")
        .env("HOCSO_CONTENT_DIR", &content)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/c.db?mode=rwc", dir.path().display()),
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is invalid"), "{stderr}");
    assert!(
        stderr.contains("framework.toml:"),
        "names the file and line: {stderr}"
    );
}

/// The last line on standard error: what a failed command has to say, in one sentence.
fn failure(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "the command must fail");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
    assert!(!stderr.contains("Caused by"), "{stderr}");
    stderr.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn the_cli_finds_the_curriculum_from_any_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = hocso()
        .args(["content", "check"])
        .env_remove("HOCSO_CONTENT_DIR")
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("content OK"));
}

#[test]
fn a_missing_content_directory_is_one_clear_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-content");
    let file = dir.path().join("figures.csv");
    std::fs::write(&file, "ma_don_vi,ngay\n").unwrap();
    let by_flag = hocso()
        .arg("--content-dir")
        .arg(&missing)
        .args(["import", "figures"])
        .arg(&file)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/f.db?mode=rwc", dir.path().display()),
        )
        .output()
        .unwrap();
    let line = failure(&by_flag);
    assert!(
        line.starts_with("hocso: the content directory") && line.contains("does not exist"),
        "{line}"
    );
    assert!(line.contains("--content-dir"), "says what to do: {line}");

    let by_env = hocso()
        .args(["content", "check"])
        .env("HOCSO_CONTENT_DIR", &missing)
        .output()
        .unwrap();
    assert!(failure(&by_env).contains("does not exist"));
}

#[test]
fn a_database_that_cannot_be_opened_is_one_clear_sentence() {
    let output = hocso()
        .arg("migrate")
        .env("DATABASE_URL", "sqlite:///proc/hocso-nowhere/x.db?mode=rwc")
        .output()
        .unwrap();
    let line = failure(&output);
    assert!(
        line.starts_with("hocso: cannot open the database"),
        "{line}"
    );
    let unknown = hocso()
        .arg("migrate")
        .env("DATABASE_URL", "mysql://root@localhost/hocso")
        .output()
        .unwrap();
    assert!(
        failure(&unknown).starts_with("hocso: cannot open the database"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}
