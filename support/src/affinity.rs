//! Which CPUs a thread may run on, and which one it is on now.
//!
//! Linux keeps a CPU *affinity mask* per thread (not per process): `sched_setaffinity(0, …)`
//! changes only the calling thread, and a thread created afterwards starts with a copy of
//! its creator's mask (see sched_setaffinity(2)). Measurements of switches pin both ends
//! with it, so "same core" and "two cores" mean what they say.

use std::io;

/// The CPUs the calling thread may run on, in increasing order.
pub fn allowed() -> io::Result<Vec<usize>> {
    // SAFETY: cpu_set_t is plain bits; zeroed is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: sched_getaffinity writes at most size_of::<cpu_set_t>() bytes into `set`.
    let rc = unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((0..libc::CPU_SETSIZE as usize)
        // SAFETY: CPU_ISSET only reads `set`; the index is below CPU_SETSIZE.
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .collect())
}

// ANCHOR: pin
/// Pins the calling thread to one CPU; it runs only there from the moment this returns.
pub fn pin_to(cpu: usize) -> io::Result<()> {
    // SAFETY: cpu_set_t is plain bits; zeroed is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    if cpu >= libc::CPU_SETSIZE as usize {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    // SAFETY: CPU_SET writes one bit of `set`; the index was checked just above.
    unsafe { libc::CPU_SET(cpu, &mut set) };
    // SAFETY: sched_setaffinity reads `set`, whose size is passed with it; pid 0 is the
    // calling thread.
    let rc = unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
// ANCHOR_END: pin

/// Lets the calling thread run on any of `cpus` (to undo [`pin_to`]).
pub fn allow(cpus: &[usize]) -> io::Result<()> {
    // SAFETY: cpu_set_t is plain bits; zeroed is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for &cpu in cpus.iter().filter(|&&cpu| cpu < libc::CPU_SETSIZE as usize) {
        // SAFETY: CPU_SET writes one bit of `set`; the index is below CPU_SETSIZE.
        unsafe { libc::CPU_SET(cpu, &mut set) };
    }
    // SAFETY: sched_setaffinity reads `set`, whose size is passed with it; pid 0 is the
    // calling thread.
    let rc = unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The CPU the calling thread is running on at this instant (`sched_getcpu(3)`). Unless
/// the thread is pinned, it may be on another one a moment later.
pub fn current_cpu() -> usize {
    // SAFETY: sched_getcpu takes no arguments; it returns -1 only where the kernel
    // lacks getcpu, which Linux has had since 2.6.19.
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).unwrap_or(0)
}

/// Two CPUs this thread may use: the first two allowed ones, or the only one twice.
pub fn two_cpus() -> io::Result<(usize, usize)> {
    let cpus = allowed()?;
    match cpus.as_slice() {
        [] => Err(io::Error::other("no CPU allowed")),
        [only] => Ok((*only, *only)),
        [first, second, ..] => Ok((*first, *second)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_thread_runs_where_it_was_pinned() {
        let cpu = *allowed().unwrap().last().unwrap();
        std::thread::spawn(move || {
            pin_to(cpu).unwrap();
            assert_eq!(allowed().unwrap(), vec![cpu]);
            assert_eq!(current_cpu(), cpu);
        })
        .join()
        .unwrap();
    }
}
