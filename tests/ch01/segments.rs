use crate::segments::{
    PF_R, PF_W, PF_X, PT_LOAD, ProgramHeader, SegmentKind, classify, zero_fill_bytes,
};

const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_TLS: u32 = 7;
const PT_GNU_STACK: u32 = 0x6474_e551;

fn header(segment_type: u32, flags: u32, file_size: u64, mem_size: u64) -> ProgramHeader {
    ProgramHeader {
        segment_type,
        flags,
        file_size,
        mem_size,
    }
}

#[test]
fn classifies_a_typical_program() {
    let _graded = support::sealed::graded();
    // The program headers of a small Rust binary, as `readelf -l` shows them.
    let headers = [
        header(PT_INTERP, PF_R, 28, 28),
        header(PT_LOAD, PF_R, 0x3_8a40, 0x3_8a40),
        header(PT_LOAD, PF_R | PF_X, 0x5_d2b1, 0x5_d2b1),
        header(PT_LOAD, PF_R | PF_W, 0x2_ee8, 0x3_0a0),
        header(PT_DYNAMIC, PF_R | PF_W, 0x1f0, 0x1f0),
        // The thread-locals' template (.tdata, then the zeroed .tbss): not mapped as it
        // stands; every thread gets its own copy, zeros included, when it starts.
        header(PT_TLS, PF_R, 0x28, 0xf0),
        header(PT_GNU_STACK, PF_R | PF_W, 0, 0),
        header(PT_LOAD, PF_R | PF_W | PF_X, 0x100, 0x100),
    ];
    let mut report: String = headers
        .iter()
        .map(|h| {
            format!(
                "type {:#x} flags {}: {:?}\n",
                h.segment_type,
                h.flags,
                classify(h)
            )
        })
        .collect();
    report += &format!("zero fill: {} bytes\n", zero_fill_bytes(&headers));
    support::assert_graded_snapshot!("ch01-segments-typical", report);
}

#[test]
fn classifies_this_test_binary() {
    let _graded = support::sealed::graded();
    use object::read::elf::{ElfFile64, ProgramHeader as _};
    let bytes = std::fs::read("/proc/self/exe").expect("read this test's own program file");
    let elf = ElfFile64::<object::Endianness>::parse(&*bytes).expect("the test binary is ELF");
    let endian = elf.endian();
    let headers: Vec<ProgramHeader> = elf
        .elf_program_headers()
        .iter()
        .map(|p| {
            header(
                p.p_type(endian),
                p.p_flags(endian),
                p.p_filesz(endian),
                p.p_memsz(endian),
            )
        })
        .collect();
    let kinds: Vec<SegmentKind> = headers.iter().map(classify).collect();
    assert!(
        kinds.contains(&SegmentKind::Code),
        "a program has code: {kinds:?}"
    );
    assert!(
        kinds.contains(&SegmentKind::Data),
        "a program has writable data: {kinds:?}"
    );
    assert!(
        kinds.contains(&SegmentKind::NotLoaded),
        "and loader-only headers: {kinds:?}"
    );
    let expected: u64 = headers
        .iter()
        .filter(|h| h.segment_type == PT_LOAD)
        .map(|h| h.mem_size - h.file_size)
        .sum();
    assert_eq!(
        zero_fill_bytes(&headers),
        expected,
        "zero fill of this binary's own segments"
    );
}
