use crate::classify::Region;
use crate::region_sizes::region_sizes;

#[test]
fn sizes_the_fixtures() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    for (name, exe, text) in super::FIXTURES {
        let maps = super::reference_lines(text);
        report += &format!("{name}:\n");
        for (region, bytes) in region_sizes(&maps, exe) {
            report += &format!("  {region:?}: {bytes} bytes ({} KiB)\n", bytes / 1024);
        }
    }
    support::assert_graded_snapshot!("ch02-region_sizes-fixtures", report);
}

#[test]
fn sizes_this_process() {
    let _graded = support::sealed::graded();
    let (text, exe) = super::live();
    let maps = super::reference_lines(&text);
    let sizes = region_sizes(&maps, &exe);
    let total: u64 = maps.iter().map(|l| l.end - l.start).sum();
    assert_eq!(
        sizes.values().sum::<u64>(),
        total,
        "every mapped byte is in one region"
    );
    assert!(
        sizes.values().all(|&b| b > 0),
        "no empty regions listed: {sizes:?}"
    );
    for region in [
        Region::Code,
        Region::ReadOnlyData,
        Region::Data,
        Region::Stack,
        Region::FileMmap,
    ] {
        assert!(
            sizes.contains_key(&region),
            "this test process has {region:?}: {sizes:?}"
        );
    }
}
