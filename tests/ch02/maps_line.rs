use crate::maps_line::{MapsError, parse_maps_line};

/// Lines a learner's parser must get right, from the plain to the tricky.
const LINES: &[(&str, &str)] = &[
    (
        "program code",
        "55c81f95e000-55c81fac9000 r-xp 000ad000 fe:00 10010919                   /usr/bin/lesson-02",
    ),
    (
        "the stack",
        "7fff4ccef000-7fff4cd10000 rw-p 00000000 00:00 0                          [stack]",
    ),
    (
        "anonymous, trailing space",
        "7f45ecd4c000-7f45ece50000 rw-p 00000000 00:00 0 ",
    ),
    (
        "anonymous, no padding at all",
        "7f45ecd4c000-7f45ece50000 rw-p 00000000 00:00 0",
    ),
    (
        "a path with spaces",
        "00400000-00401000 r--p 00000000 08:01 1234                               /opt/my app/bin/server",
    ),
    (
        "a path with two spaces in a row",
        "7f3a00000000-7f3a00001000 r--p 00000000 fe:00 5150                       /srv/data/old  report.db",
    ),
    (
        "a deleted shared file",
        "7f1000000000-7f1000100000 rw-s 00000000 00:01 4242                       /dev/shm/queue (deleted)",
    ),
    (
        "a malloc arena's reserved tail, not yet readable or writable",
        "7f0000021000-7f0004000000 ---p 00000000 00:00 0 ",
    ),
    (
        "the vsyscall page, high in the address space",
        "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
    ),
    ("empty", ""),
    ("cut short after the perms", "00400000-00401000 r--p"),
    (
        "cut short before the inode",
        "00400000-00401000 r--p 00000000 08:01",
    ),
    ("no dash in the range", "00400000 r--p 00000000 08:01 1234"),
    (
        "start after end",
        "00500000-00400000 r--p 00000000 08:01 1234",
    ),
    ("not hex", "0040000g-00401000 r--p 00000000 08:01 1234"),
    (
        "perms too short",
        "00400000-00401000 r-- 00000000 08:01 1234",
    ),
    (
        "perms in the wrong order",
        "00400000-00401000 wr-p 00000000 08:01 1234",
    ),
    (
        "offset not hex",
        "00400000-00401000 r--p 0000zz00 08:01 1234",
    ),
    (
        "inode not a number",
        "00400000-00401000 r--p 00000000 08:01 12x4",
    ),
];

#[test]
fn parses_every_fixture_line() {
    let _graded = support::sealed::graded();
    let report: String = LINES
        .iter()
        .map(|(what, line)| format!("{what}:\n  {:?}\n", parse_maps_line(line)))
        .collect();
    support::assert_graded_snapshot!("ch02-maps_line-fixtures", report);
}

/// A file mapped into this process under a name no fixture shows: spaces (two in a row),
/// parentheses, and the time, so it differs every run. Unmapped and removed on drop.
struct OddlyNamedMapping {
    path: std::path::PathBuf,
    addr: *mut libc::c_void,
}

const PAGE: usize = 4096;

impl OddlyNamedMapping {
    fn new() -> Self {
        use std::os::fd::AsRawFd;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("ptm-{}  odd (name)  {nanos}.bin", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, [0u8; PAGE]).expect("write a file to map");
        let file = std::fs::File::open(&path).expect("open the file to map");
        // SAFETY: a fresh read-only private mapping of a file we own; nothing reads through
        // the pointer, and `drop` unmaps it. The mapping outlives the closed descriptor.
        let addr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                PAGE,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        assert_ne!(addr, libc::MAP_FAILED, "mmap {}", path.display());
        Self { path, addr }
    }
}

impl Drop for OddlyNamedMapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping `new` made, which nothing else refers to.
        unsafe { libc::munmap(self.addr, PAGE) };
        let _ = std::fs::remove_file(&self.path);
    }
}

#[test]
fn parses_this_process_like_procfs() {
    let _graded = support::sealed::graded();
    let odd = OddlyNamedMapping::new();
    let (text, _) = super::live();
    drop(odd);
    let expected = super::reference_lines(&text);
    let parsed: Vec<_> = text
        .lines()
        .map(|line| parse_maps_line(line).unwrap_or_else(|e| panic!("{line:?}: {e:?}")))
        .collect();
    assert_eq!(parsed.len(), expected.len(), "one struct per line");
    for ((mine, reference), line) in parsed.iter().zip(&expected).zip(text.lines()) {
        assert_eq!(
            mine, reference,
            "the same facts as procfs reads from {line:?}"
        );
    }
    assert!(
        matches!(
            parse_maps_line("1-0 r--p 0 0:0 0"),
            Err(MapsError::BadField { field: "range", .. })
        ),
        "a range must not run backwards"
    );
}
