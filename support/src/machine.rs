//! What kind of machine this program runs on, where the machine says so.

/// Whether the CPU reports that it runs under a hypervisor: the `hypervisor` flag in
/// `/proc/cpuinfo` (CPUID leaf 1, ECX bit 31, which x86 hypervisors set for their guests).
/// `None` where the flags do not say (other architectures, or no `/proc/cpuinfo`).
pub fn under_a_hypervisor() -> Option<bool> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let flags = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("flags").map(|rest| rest.trim_start()))?
        .strip_prefix(':')?;
    Some(flags.split_whitespace().any(|flag| flag == "hypervisor"))
}

/// [`under_a_hypervisor`] in words, for a lesson's output.
pub fn kind() -> &'static str {
    match under_a_hypervisor() {
        Some(true) => "a virtual machine (the CPU reports the `hypervisor` flag)",
        Some(false) => "no hypervisor flag on the CPU: most likely a physical machine",
        None => "the CPU's flags do not say whether this is a virtual machine",
    }
}
