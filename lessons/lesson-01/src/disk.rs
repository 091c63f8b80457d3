//! Step 1: the program as a file — its ELF header, segments and sections.

use std::path::Path;

use object::elf;
use object::read::elf::{ElfFile64, FileHeader, ProgramHeader};
use object::{Endianness, Object, ObjectSection, SectionKind};
use support::fmt;
use support::table::Table;

/// One loadable segment, kept to find it again in the process's memory map (step 4).
#[derive(Debug, Clone)]
pub struct LoadSegment {
    pub flags: String,
    pub file_offset: u64,
}

/// What step 4 needs from the file: its loadable segments, where the first instruction
/// is, and the dynamic loader the kernel starts instead (PT_INTERP), if any.
#[derive(Debug, Clone)]
pub struct ProgramFile {
    pub segments: Vec<LoadSegment>,
    pub entry: u64,
    pub interpreter: Option<String>,
}

pub fn no_program_file(pid: i32, why: &str) {
    fmt::step("1. The program: a file on disk");
    fmt::note(&format!("PID {pid} has no program file to show:\n{why}"));
}

/// Prints what the file on disk holds; returns what step 4 compares with memory.
pub fn show_program_file(path: &Path) -> Option<ProgramFile> {
    fmt::step("1. The program: a file on disk");
    let bytes = read_program(path).map_err(|why| fmt::note(&why)).ok()?;
    let elf = parse_elf(&bytes, path)
        .map_err(|why| fmt::note(&why))
        .ok()?;
    println!("  file         {}", path.display());
    println!("  size         {} on disk", fmt::bytes(bytes.len() as u64));
    let entry = show_header(&elf);
    let segments = show_segments(&elf);
    let interpreter = interpreter(&elf);
    if let Some(loader) = &interpreter {
        println!("\n  INTERP names the dynamic loader: {loader}");
    }
    show_sections(&elf);
    fmt::note(
        "Nothing here is running. These are bytes on a disk: instructions (code), the\n\
         initial values of statics (data), and a note of how many zeroed bytes to add (bss).",
    );
    if interpreter.is_some() {
        fmt::note(
            "A program with an INTERP segment is dynamically linked: exec maps the loader too and\n\
             starts *it*; the loader maps the shared libraries, then jumps to the entry point.",
        );
    }
    Some(ProgramFile {
        segments,
        entry,
        interpreter,
    })
}

// ANCHOR: read_elf
/// The program file, read whole: the ELF parser borrows from these bytes.
fn read_program(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("Could not read {}: {error}", path.display()))
}

/// The ELF header and tables of `bytes`, parsed by the `object` crate.
fn parse_elf<'a>(bytes: &'a [u8], path: &Path) -> Result<ElfFile64<'a, Endianness>, String> {
    ElfFile64::<Endianness>::parse(bytes)
        .map_err(|error| format!("{} is not a 64-bit ELF program: {error}", path.display()))
}
// ANCHOR_END: read_elf

/// The path in the PT_INTERP segment: the program the kernel really starts.
fn interpreter(elf: &ElfFile64<Endianness>) -> Option<String> {
    let (endian, data) = (elf.endian(), elf.data());
    elf.elf_program_headers().iter().find_map(|header| {
        let path = header.interpreter(endian, data).ok()??;
        Some(String::from_utf8_lossy(path).into_owned())
    })
}

fn show_header(elf: &ElfFile64<Endianness>) -> u64 {
    let endian = elf.endian();
    let header = elf.elf_header();
    let kind = match header.e_type(endian) {
        elf::ET_EXEC => "executable at a fixed address (ET_EXEC)",
        elf::ET_DYN => "position-independent: loaded at a random address (ET_DYN)",
        _ => "other",
    };
    let machine = match header.e_machine(endian) {
        elf::EM_X86_64 => "x86-64",
        elf::EM_AARCH64 => "AArch64 (ARM 64-bit)",
        _ => "another architecture",
    };
    let order = if elf.is_little_endian() {
        "little-endian"
    } else {
        "big-endian"
    };
    println!("  format       ELF, 64-bit, {order}, for {machine}");
    println!("  type         {kind}");
    let entry = header.e_entry(endian);
    println!(
        "  entry point  {} (the program's first instruction, relative to its load address)",
        fmt::address(entry)
    );
    entry
}

// ANCHOR: segments
/// One program header: what the segment is for (p_type), its permissions (p_flags), and
/// where it starts and how large it is in the file and in memory.
struct Segment {
    kind: u32,
    flags: u32,
    file_offset: u64,
    file_size: u64,
    address: u64,
    mem_size: u64,
}

fn program_headers(elf: &ElfFile64<Endianness>) -> Vec<Segment> {
    let endian = elf.endian();
    let headers = elf.elf_program_headers().iter();
    headers
        .map(|header| Segment {
            kind: header.p_type(endian),
            flags: header.p_flags(endian),
            file_offset: header.p_offset(endian),
            file_size: header.p_filesz(endian),
            address: header.p_vaddr(endian),
            mem_size: header.p_memsz(endian),
        })
        .collect()
}
// ANCHOR_END: segments

fn show_segments(elf: &ElfFile64<Endianness>) -> Vec<LoadSegment> {
    let mut table = Table::new([
        "segment",
        "flags",
        "in the file",
        "in memory",
        "what it holds",
    ])
    .right(2)
    .right(3);
    let mut loads = Vec::new();
    let layout = DataLayout::of(elf);
    for segment in program_headers(elf) {
        let (kind, flags) = (segment.kind, segment.flags);
        let flags_text = permission_text(flags);
        table.row([
            segment_name(kind).to_owned(),
            flags_text.clone(),
            fmt::bytes(segment.file_size),
            fmt::bytes(segment.mem_size),
            purpose(kind, flags, (segment.address, segment.mem_size), &layout),
        ]);
        if kind == elf::PT_LOAD {
            loads.push(LoadSegment {
                flags: flags_text,
                file_offset: segment.file_offset,
            });
        }
    }
    println!(
        "\n  Program headers: the segments the loader maps into memory (`readelf -l` shows the same)"
    );
    print!("{table}");
    loads
}

fn show_sections(elf: &ElfFile64<Endianness>) {
    let mut table = Table::new(["section", "size", "holds"]).right(1);
    let wanted = [
        (".text", "machine code of every function"),
        (".rodata", "constants and string literals"),
        (".data", "statics with a non-zero initial value"),
        (
            ".bss",
            "statics that start as zero: size only, no bytes in the file",
        ),
    ];
    for (name, holds) in wanted {
        if let Some(section) = elf.section_by_name(name) {
            table.row([
                name.to_owned(),
                fmt::bytes(section.size()),
                holds.to_owned(),
            ]);
        }
    }
    println!("\n  Sections: the linker's finer-grained view inside those segments");
    print!("{table}");
}

/// `R W X` flags as `readelf` prints them.
pub fn permission_text(flags: u32) -> String {
    let bit = |mask: u32, letter: char| if flags & mask != 0 { letter } else { ' ' };
    [
        bit(elf::PF_R, 'R'),
        bit(elf::PF_W, 'W'),
        bit(elf::PF_X, 'E'),
    ]
    .iter()
    .collect()
}

fn segment_name(kind: u32) -> &'static str {
    match kind {
        elf::PT_LOAD => "LOAD",
        elf::PT_DYNAMIC => "DYNAMIC",
        elf::PT_INTERP => "INTERP",
        elf::PT_NOTE => "NOTE",
        elf::PT_PHDR => "PHDR",
        elf::PT_TLS => "TLS",
        elf::PT_GNU_EH_FRAME => "GNU_EH_FRAME",
        elf::PT_GNU_STACK => "GNU_STACK",
        elf::PT_GNU_RELRO => "GNU_RELRO",
        elf::PT_GNU_PROPERTY => "GNU_PROPERTY",
        _ => "other",
    }
}

/// What the linker put where: the range made read-only after relocation (PT_GNU_RELRO)
/// and the zero-filled (NOBITS) sections, by address. A writable segment's extra size in
/// memory is whatever NOBITS sections lie past its file bytes: `.bss` (zeroed statics)
/// in one, but in the RELRO segment only `.relro_padding`, which rounds RELRO up to a
/// whole page so that it can be made read-only on its own.
struct DataLayout {
    relro_start: Option<u64>,
    zero_filled: Vec<(String, u64)>,
}

impl DataLayout {
    fn of(elf: &ElfFile64<Endianness>) -> Self {
        let endian = elf.endian();
        let relro_start = elf
            .elf_program_headers()
            .iter()
            .find(|h| h.p_type(endian) == elf::PT_GNU_RELRO)
            .map(|h| h.p_vaddr(endian));
        let zero_filled = elf
            .sections()
            .filter(|s| s.kind() == SectionKind::UninitializedData && s.size() > 0)
            .filter_map(|s| Some((s.name().ok()?.to_owned(), s.address())))
            .collect();
        Self {
            relro_start,
            zero_filled,
        }
    }

    /// The zero-filled sections that start inside `[start, end)`.
    fn zero_filled_in(&self, start: u64, end: u64) -> Vec<&str> {
        self.zero_filled
            .iter()
            .filter(|(_, address)| (start..end).contains(address))
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

fn purpose(kind: u32, flags: u32, range: (u64, u64), layout: &DataLayout) -> String {
    let text = match kind {
        elf::PT_LOAD if flags & elf::PF_X != 0 => "code: mapped readable + executable",
        elf::PT_LOAD if flags & elf::PF_W != 0 => {
            return writable_purpose(range.0, range.1, layout);
        }
        elf::PT_LOAD => "read-only data and headers",
        elf::PT_INTERP => "path of the dynamic loader, started first",
        elf::PT_DYNAMIC => "shared libraries to load",
        elf::PT_TLS => "template for each thread's thread-locals",
        elf::PT_GNU_STACK => "asks for a non-executable stack",
        elf::PT_GNU_RELRO => "RELRO: made read-only after relocation",
        elf::PT_GNU_EH_FRAME => "index for unwinding (panics)",
        _ => "information for the loader",
    };
    text.to_owned()
}

/// A writable segment, named from what lies in it rather than from its position.
fn writable_purpose(vaddr: u64, mem_size: u64, layout: &DataLayout) -> String {
    let relro = layout.relro_start == Some(vaddr);
    let zero = layout.zero_filled_in(vaddr, vaddr + mem_size);
    match (relro, zero.first()) {
        (true, Some(name)) => format!("RELRO data, then {name} to a page"),
        (true, None) => "RELRO: data made read-only after relocation".to_owned(),
        (false, Some(&".bss")) => "data, then zero-filled .bss".to_owned(),
        (false, Some(name)) => format!("data, then zero-filled {name}"),
        (false, None) => "data: statics that can change".to_owned(),
    }
}
