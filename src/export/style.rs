//! What the pictures share: a colour and a readable name for each entity type, and how
//! dates are read.

/// The entity types in legend order, with their colour (`#rrggbb`, a Tableau 10 palette that
/// stays apart for the common kinds of colour blindness) and their English and Persian names.
pub const TYPES: [(&str, &str, &str, &str); 10] = [
    ("PERSON", "#4e79a7", "person", "شخص"),
    ("PARTY", "#e15759", "party", "حزب"),
    ("COUNTRY", "#59a14f", "country", "کشور"),
    ("REGION", "#9c755f", "region", "منطقه"),
    ("CITY", "#76b7b2", "city", "شهر"),
    ("ORGANIZATION", "#f28e2b", "organization", "سازمان"),
    ("INITIATIVE", "#b07aa1", "initiative", "ابتکار"),
    ("EVENT", "#edc948", "event", "رویداد"),
    ("PRINCIPLE", "#ff9da7", "principle", "اصل"),
    ("DOCUMENT", "#bab0ac", "document", "سند"),
];

/// The colour of a type that is not in [`TYPES`].
pub const OTHER_COLOR: &str = "#7f7f7f";

/// The colour of `entity_type`, as `#rrggbb`.
pub fn type_color(entity_type: &str) -> &'static str {
    TYPES
        .iter()
        .find(|t| t.0 == entity_type)
        .map_or(OTHER_COLOR, |t| t.1)
}

/// The colour of `entity_type` as red, green and blue.
pub fn type_rgb(entity_type: &str) -> (u8, u8, u8) {
    let hex = type_color(entity_type);
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0x7f);
    (channel(1), channel(3), channel(5))
}

/// `value` as an ISO 8601 calendar date (`YYYY-MM-DD`) when it is one or starts with one
/// (`2022-11-25T08:00:00Z` gives `2022-11-25`); `None` otherwise. Month and day are checked
/// against the calendar, leap years included.
pub fn iso_date(value: &str) -> Option<&str> {
    let date = value.get(..10)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    if value.len() > 10 && !matches!(value.as_bytes()[10], b'T' | b' ') {
        return None;
    }
    let number = |r: std::ops::Range<usize>| date[r].parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(type_color("PERSON"), "#4e79a7");
        assert_eq!(type_rgb("PERSON"), (0x4e, 0x79, 0xa7));
        assert_eq!(type_color("NOPE"), OTHER_COLOR);
        let mut colours: Vec<&str> = TYPES.iter().map(|t| t.1).collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), TYPES.len(), "one colour per type");
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2022-11-25"), Some("2022-11-25"));
        assert_eq!(iso_date("2022-11-25T08:00:00Z"), Some("2022-11-25"));
        assert_eq!(iso_date("2024-02-29"), Some("2024-02-29"));
        for bad in [
            "2023-02-29",
            "2022-13-01",
            "2022-11-31",
            "22-11-25",
            "2022/11/25",
            "",
            "2022-11-25x",
            "۲۰۲۲-۱۱-۲۵",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
    }
}
