//! Wrong attempt: I decided anonymous memory's region by where it lies: near the program it is the heap, in the 0x7f... range an mmap, and at the very top the stack.

    // ANCHOR: solution_region_of_line
    let line = &maps[index];
    let is_exe = |l: &MapsLine| l.path.as_deref() == Some(exe);
    match line.path.as_deref() {
        Some(_) if is_exe(line) => {
            if line.perms.execute {
                Region::Code
            } else if line.perms.write {
                Region::Data
            } else {
                Region::ReadOnlyData
            }
        }
        Some("[heap]") => Region::Heap,
        Some("[stack]") => Region::Stack,
        Some(name) if name.starts_with("[anon:") => Region::AnonMmap,
        Some(name) if name.starts_with('[') => Region::Kernel,
        Some(_) => Region::FileMmap,
        None => {
            let after_data = index.checked_sub(1).is_some_and(|i| {
                let before = &maps[i];
                is_exe(before) && before.perms.write && before.end == line.start
            });
            if after_data {
                Region::Bss
            } else if line.start < 0x7f00_0000_0000 {
                Region::Heap
            } else if line.start >= 0x7ff0_0000_0000 {
                Region::Stack
            } else {
                Region::AnonMmap
            }
        }
    }
    // ANCHOR_END: solution_region_of_line
