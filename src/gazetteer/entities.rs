//! The entity TSV format: one entity per row (see `gazetteers/README.md`).

use std::sync::Arc;

use super::{is_alpha2, Alias, AliasKind, Entity, EntityType, Office, Origin, RowError};

const REQUIRED: [&str; 4] = ["id", "type", "name_en", "name_fa"];
const OPTIONAL: [&str; 8] = [
    "aliases",
    "short",
    "country",
    "part_of",
    "offices",
    "wikidata",
    "capital_of",
    "note",
];

/// Reads a tab-separated file with a header row, `#` comments and no quoting, calling `row`
/// with the 1-based line number and the cells of every data row. Header and shape problems,
/// and the reason `row` gives for rejecting a row, are pushed to `errors` with the line.
pub(crate) fn read_tsv(
    file: &str,
    text: &str,
    required: &[&str],
    optional: &[&str],
    errors: &mut Vec<RowError>,
    mut row: impl FnMut(usize, &Columns, &csv::StringRecord) -> Result<(), String>,
) {
    // csv's line numbers leave out comment and blank lines, so the lines before the header
    // are cut (and counted here), and later ones become one-space rows (skipped below),
    // which csv counts.
    let is_skipped = |line: &str| line.starts_with('#') || line.trim().is_empty();
    let lines_before_header = text
        .split_inclusive('\n')
        .take_while(|l| is_skipped(l))
        .count();
    let body = text
        .split_inclusive('\n')
        .skip(lines_before_header)
        .map(str::len)
        .sum::<usize>();
    let body = &text[text.len() - body..];
    // A copy only when there is a comment or blank line to blank out: a generated file of a
    // million rows usually has none.
    let uncommented: std::borrow::Cow<str> = if body.split_inclusive('\n').any(is_skipped) {
        body.split_inclusive('\n')
            .map(|line| if is_skipped(line) { " \n" } else { line })
            .collect::<String>()
            .into()
    } else {
        body.into()
    };
    let line_of = |position: Option<&csv::Position>| {
        position.map_or(0, |p| p.line() as usize + lines_before_header)
    };
    let error = |line: usize, reason: String| RowError {
        file: file.to_string(),
        line,
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .has_headers(true)
        .from_reader(uncommented.as_bytes());
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(error(1, format!("unreadable header: {e}")));
            return;
        }
    };
    let header_line = line_of(header.position());
    let columns = match Columns::new(&header, required, optional) {
        Ok(c) => c,
        Err(reason) => {
            errors.push(error(header_line, reason));
            return;
        }
    };
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = line_of(record.position());
                if record.len() == 1 && record[0].trim().is_empty() {
                    continue;
                }
                if record.len() != header.len() {
                    errors.push(error(
                        line,
                        format!(
                            "expected {} tab-separated cells as in the header, found {}",
                            header.len(),
                            record.len()
                        ),
                    ));
                    continue;
                }
                if let Err(reason) = row(line, &columns, &record) {
                    errors.push(error(line, reason));
                }
            }
            Err(e) => {
                let line = line_of(e.position());
                errors.push(error(line, format!("unreadable row: {e}")));
            }
        }
    }
}

/// The positions of the named columns of a TSV header.
pub(crate) struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn new(
        header: &csv::StringRecord,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Columns, String> {
        let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        for name in &names {
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                return Err(format!(
                    "unknown column {name:?} (known: {})",
                    required
                        .iter()
                        .chain(optional)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(format!("column {name:?} appears twice"));
            }
        }
        for name in required {
            if !names.iter().any(|n| n == name) {
                return Err(format!("missing column {name:?}"));
            }
        }
        Ok(Columns { names })
    }

    /// The trimmed cell of column `name` ("" when the column is absent).
    pub(crate) fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.names
            .iter()
            .position(|n| n == name)
            .and_then(|i| record.get(i))
            .map_or("", str::trim)
    }
}

/// Splits a ` | `-separated list cell. An empty cell is an empty list; an empty item is an
/// error.
pub(crate) fn split_list(cell: &str) -> Result<Vec<&str>, String> {
    if cell.is_empty() {
        return Ok(Vec::new());
    }
    cell.split('|')
        .map(str::trim)
        .map(|item| {
            if item.is_empty() {
                Err(format!("empty item in list {cell:?}"))
            } else {
                Ok(item)
            }
        })
        .collect()
}

/// Whether `slug` is a valid id slug: `[a-z0-9-]+`, not starting or ending with `-`.
pub(crate) fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks a node id against its type: `country:XX` for countries, `<type>:<slug>` otherwise.
pub(crate) fn check_id(id: &str, entity_type: EntityType) -> Result<(), String> {
    let Some((prefix, rest)) = id.split_once(':') else {
        return Err(format!(
            "id {id:?} has no type prefix (expected {}:...)",
            entity_type.id_prefix()
        ));
    };
    if prefix != entity_type.id_prefix() {
        return Err(format!(
            "id {id:?} has prefix {prefix:?} but type {entity_type} needs {:?}",
            entity_type.id_prefix()
        ));
    }
    if entity_type == EntityType::Country {
        if !is_alpha2(rest) {
            return Err(format!(
                "id {id:?}: {rest:?} is not an ISO 3166-1 alpha-2 code"
            ));
        }
    } else if !is_slug(rest) {
        return Err(format!("id {id:?}: the slug must be [a-z0-9-]+"));
    }
    Ok(())
}

/// Parses `Role@entity-id[from..to]`.
fn parse_office(item: &str) -> Result<Office, String> {
    let malformed = || format!("office {item:?} is not Role@entity-id[from..to]");
    let (role, rest) = item.rsplit_once('@').ok_or_else(malformed)?;
    let role = role.trim();
    if role.is_empty() {
        return Err(malformed());
    }
    let (of, years) = match rest.find('[') {
        Some(i) => {
            let years = rest[i + 1..].strip_suffix(']').ok_or_else(malformed)?;
            (&rest[..i], Some(years))
        }
        None => (rest, None),
    };
    let of = of.trim();
    if of.is_empty() || of.contains(char::is_whitespace) {
        return Err(malformed());
    }
    let (from, to) = match years {
        None => (None, None),
        Some(years) => {
            let (from, to) = years.split_once("..").ok_or_else(malformed)?;
            let year = |s: &str| -> Result<Option<i32>, String> {
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                match s.parse::<i32>() {
                    Ok(y) if (1000..=9999).contains(&y) => Ok(Some(y)),
                    _ => Err(format!("office {item:?}: {s:?} is not a four-digit year")),
                }
            };
            let (from, to) = (year(from)?, year(to)?);
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(format!("office {item:?}: the years run backwards"));
                }
            }
            (from, to)
        }
    };
    Ok(Office {
        role: role.to_string(),
        of: of.to_string(),
        from,
        to,
    })
}

/// Parses one entities file, giving each valid entity to `sink` (with `errors`, for the
/// sink's own); invalid rows are pushed to `errors` and skipped.
pub(crate) fn parse(
    file: &str,
    text: &str,
    errors: &mut Vec<RowError>,
    mut sink: impl FnMut(Entity, &mut Vec<RowError>),
) {
    // The sink's errors wait here until the reader, which holds `errors`, is done; they are
    // sorted by line with the rest when the gazetteer is built.
    let mut sunk = Vec::new();
    let shared: Arc<str> = Arc::from(file);
    read_tsv(
        file,
        text,
        &REQUIRED,
        &OPTIONAL,
        errors,
        |line, columns, record| {
            sink(parse_row(&shared, line, columns, record)?, &mut sunk);
            Ok(())
        },
    );
    errors.append(&mut sunk);
}

fn parse_row(
    file: &Arc<str>,
    line: usize,
    columns: &Columns,
    record: &csv::StringRecord,
) -> Result<Entity, String> {
    let cell = |name: &str| columns.get(record, name);
    let id = cell("id");
    if id.is_empty() {
        return Err("empty id".into());
    }
    let type_name = cell("type");
    let entity_type = EntityType::parse(type_name).ok_or_else(|| {
        format!(
            "unknown type {type_name:?} (known: {})",
            EntityType::ALL.map(EntityType::as_str).join(", ")
        )
    })?;
    check_id(id, entity_type)?;
    let name_en = cell("name_en");
    let name_fa = cell("name_fa");
    if name_en.is_empty() && name_fa.is_empty() {
        return Err("name_en and name_fa are both empty".into());
    }
    let alias = |text: &str, kind| Alias {
        text: text.to_string(),
        kind,
        origin: Origin::Gazetteer,
        file: Arc::clone(file),
        line,
    };
    let mut aliases = Vec::new();
    for name in [name_en, name_fa].into_iter().filter(|n| !n.is_empty()) {
        aliases.push(alias(name, AliasKind::Name));
    }
    for (column, kind) in [("aliases", AliasKind::Alias), ("short", AliasKind::Short)] {
        for item in split_list(cell(column)).map_err(|e| format!("{column}: {e}"))? {
            if !item.chars().any(char::is_alphanumeric) {
                return Err(format!("{column}: alias {item:?} has no letter or digit"));
            }
            aliases.push(alias(item, kind));
        }
    }
    // A Vec's first growth holds four aliases; most rows have one or two, and a million rows
    // would carry 200 MB of room for none.
    aliases.shrink_to_fit();
    let country = match cell("country") {
        "" => None,
        code if is_alpha2(code) => Some(code.to_string()),
        code => {
            return Err(format!(
                "country {code:?} is not an ISO 3166-1 alpha-2 code"
            ))
        }
    };
    let part_of = split_list(cell("part_of"))
        .map_err(|e| format!("part_of: {e}"))?
        .into_iter()
        .map(str::to_string)
        .collect();
    let offices = split_list(cell("offices"))
        .map_err(|e| format!("offices: {e}"))?
        .into_iter()
        .map(parse_office)
        .collect::<Result<Vec<_>, _>>()?;
    let wikidata = match cell("wikidata") {
        "" => None,
        q if q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit()) => {
            Some(q.to_string())
        }
        q => {
            return Err(format!(
                "wikidata {q:?} is not a QID (Q followed by digits)"
            ))
        }
    };
    let capital_of = match cell("capital_of") {
        "" => None,
        state if entity_type == EntityType::City => Some(state.to_string()),
        _ => return Err("capital_of: only a CITY is the capital of a state".into()),
    };
    Ok(Entity {
        id: id.to_string(),
        entity_type,
        name_en: name_en.to_string(),
        name_fa: name_fa.to_string(),
        aliases,
        country,
        part_of,
        offices,
        wikidata,
        capital_of,
        file: Arc::clone(file),
        line,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn offices() {
        let o = parse_office("President@country:CN[2013..]").unwrap();
        assert_eq!(
            (o.role.as_str(), o.of.as_str(), o.from, o.to),
            ("President", "country:CN", Some(2013), None)
        );
        let o = parse_office("General Secretary@party:communist-party-of-china").unwrap();
        assert_eq!((o.from, o.to), (None, None));
        let o = parse_office("Foreign Minister@country:IR[2013..2021]").unwrap();
        assert!(o.held_in(2015) && !o.held_in(2022) && !o.held_in(2012));
        for bad in [
            "President",
            "@country:CN",
            "President@",
            "President@country:CN[2013]",
            "President@country:CN[13..]",
            "President@country:CN[2020..2010]",
            "President@country:CN[2013..",
        ] {
            assert!(parse_office(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        assert!(check_id("country:CN", EntityType::Country).is_ok());
        assert!(check_id("person:xi-jinping", EntityType::Person).is_ok());
        assert!(check_id("country:UK", EntityType::Country).is_err());
        assert!(check_id("country:cn", EntityType::Country).is_err());
        assert!(check_id("person:Xi", EntityType::Person).is_err());
        assert!(check_id("party:xi", EntityType::Person).is_err());
        assert!(check_id("xi-jinping", EntityType::Person).is_err());
        assert!(check_id("person:-x", EntityType::Person).is_err());
    }
}
