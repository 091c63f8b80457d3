//! placeholder
pub fn run(_serve: bool, _port: u16) -> anyhow::Result<()> { Ok(()) }
