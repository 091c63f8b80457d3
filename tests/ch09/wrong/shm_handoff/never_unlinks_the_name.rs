//! Wrong attempt: keeps the shared-memory object's name, so the object outlives the program in /dev/shm.

        // ANCHOR: solution_create
        let name = support::names::unique("shm");
        let fd = shm_open(
            name.as_str(),
            OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR,
            Mode::S_IRUSR | Mode::S_IWUSR,
        )?;
        let size = size_of::<Shared>();
        nix::unistd::ftruncate(&fd, size as libc::off_t)?;
        // SAFETY: a fresh mapping of a fresh, zero-filled object.
        let mapped = unsafe {
            mmap(
                None,
                NonZeroUsize::new(size).expect("Shared is not empty"),
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
                &fd,
                0,
            )
        }?;
        // The name stays, so another process could open it too.
        Ok(Mailbox {
            shared: mapped.cast(),
        })
        // ANCHOR_END: solution_create
