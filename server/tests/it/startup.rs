//! The `hocso` binary itself: production refuses to start unsafely; the admin CLI works.

use std::io::Write;
use std::process::{Command, Stdio};

fn hocso() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hocso"));
    command
        .env_remove("HOCSO_JWT_SECRET")
        .env_remove("HOCSO_JWT_SECRET_FILE")
        .env_remove("HOCSO_DEMO")
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
