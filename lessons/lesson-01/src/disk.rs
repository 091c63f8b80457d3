//! Step 1: the program as a file — its ELF header, segments and sections.

use std::path::Path;

use object::elf;
use object::read::elf::{ElfFile64, FileHeader, ProgramHeader};
use object::{Endianness, Object, ObjectSection};
use support::fmt;
use support::table::Table;

/// One loadable segment, kept to find it again in the process's memory map (step 4).
#[derive(Debug, Clone)]
pub struct LoadSegment {
    pub flags: String,
    pub file_offset: u64,
}

pub fn no_program_file(pid: i32, why: &str) {
    fmt::step("1. The program: a file on disk");
    fmt::note(&format!("PID {pid} has no program file to show: {why}."));
}

/// Prints what the file on disk holds; returns its loadable segments.
pub fn show_program_file(path: &Path) -> Option<Vec<LoadSegment>> {
    fmt::step("1. The program: a file on disk");
    // ANCHOR: read_elf
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            fmt::note(&format!("Could not read {}: {error}", path.display()));
            return None;
        }
    };
    let elf = match ElfFile64::<Endianness>::parse(&*bytes) {
        Ok(elf) => elf,
        Err(error) => {
            fmt::note(&format!(
                "{} is not a 64-bit ELF program: {error}",
                path.display()
            ));
            return None;
        }
    };
    // ANCHOR_END: read_elf
    println!("  file         {}", path.display());
    println!("  size         {} on disk", fmt::bytes(bytes.len() as u64));
    show_header(&elf);
    let segments = show_segments(&elf);
    show_sections(&elf);
    fmt::note(
        "Nothing here is running. These are bytes on a disk: instructions (code), the\n\
         initial values of statics (data), and a note of how many zeroed bytes to add (bss).",
    );
    Some(segments)
}

fn show_header(elf: &ElfFile64<Endianness>) {
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
    println!(
        "  entry point  {} (where the first instruction is, relative to the load address)",
        fmt::address(header.e_entry(endian))
    );
}

// ANCHOR: segments
fn show_segments(elf: &ElfFile64<Endianness>) -> Vec<LoadSegment> {
    let endian = elf.endian();
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
    for header in elf.elf_program_headers() {
        let (kind, flags) = (header.p_type(endian), header.p_flags(endian));
        let (file_size, mem_size) = (header.p_filesz(endian), header.p_memsz(endian));
        let flags_text = permission_text(flags);
        table.row([
            segment_name(kind).to_owned(),
            flags_text.clone(),
            fmt::bytes(file_size),
            fmt::bytes(mem_size),
            purpose(kind, flags, file_size, mem_size).to_owned(),
        ]);
        if kind == elf::PT_LOAD {
            let file_offset = header.p_offset(endian);
            loads.push(LoadSegment {
                flags: flags_text,
                file_offset,
            });
        }
    }
    println!(
        "\n  Program headers: the segments the loader maps into memory (`readelf -l` shows the same)"
    );
    print!("{table}");
    loads
}
// ANCHOR_END: segments

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

fn purpose(kind: u32, flags: u32, file_size: u64, mem_size: u64) -> &'static str {
    match kind {
        elf::PT_LOAD if flags & elf::PF_X != 0 => "code: mapped readable + executable",
        elf::PT_LOAD if flags & elf::PF_W != 0 && mem_size > file_size => {
            "data, then zero-filled bss"
        }
        elf::PT_LOAD if flags & elf::PF_W != 0 => "data: statics that can change",
        elf::PT_LOAD => "read-only data and headers",
        elf::PT_INTERP => "path of the dynamic loader to run first",
        elf::PT_DYNAMIC => "shared libraries to load",
        elf::PT_TLS => "template for each thread's thread-locals",
        elf::PT_GNU_STACK => "asks for a non-executable stack",
        elf::PT_GNU_RELRO => "made read-only after relocation",
        elf::PT_GNU_EH_FRAME => "index for unwinding (panics)",
        _ => "information for the loader",
    }
}
