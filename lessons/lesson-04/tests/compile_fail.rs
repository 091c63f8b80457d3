//! The book's compile-fail examples (in `compile_fail/`, shown in chapter 04) must keep
//! failing, with the error the book shows. Each file names it on a line
//! `//! expected: <the start of rustc's error line>`; this test compiles each file with
//! rustc, as a library in edition 2024, and checks that rustc refuses it with that error.
//! (About a second per file; no extra crate needed.)

use std::path::Path;
use std::process::Command;

#[test]
fn each_example_fails_with_the_error_the_book_shows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("compile_fail");
    let out = tempfile::tempdir().expect("a private temporary folder");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("compile_fail/ exists") {
        let path = entry.expect("a readable entry").path();
        let source = std::fs::read_to_string(&path).expect("a readable example");
        let expected = source
            .lines()
            .find_map(|line| line.strip_prefix("//! expected: "))
            .unwrap_or_else(|| panic!("{} names no `//! expected:` error", path.display()));
        let output = Command::new(&rustc)
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--emit",
                "metadata",
            ])
            .arg("--out-dir")
            .arg(out.path())
            .arg(&path)
            .output()
            .expect("rustc runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "{} compiled, but the book says rustc refuses it",
            path.display()
        );
        assert!(
            stderr.lines().any(|line| line.starts_with(expected)),
            "{} failed, but not with `{expected}`:\n{stderr}",
            path.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 3, "three examples in compile_fail/");
}
