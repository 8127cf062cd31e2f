//! Writing an [`Evaluation`]: text tables for people, JSON for programs. Both are
//! deterministic: the same gold, inputs and gazetteers give the same bytes.

use std::fmt::{self, Write};

use super::conll::{ConllReport, ConllRow};
use super::score::{EntityItem, RelationItem, Report, Row, Table, ViaRow};
use super::Evaluation;

impl Evaluation {
    /// The JSON form: `{"sets": [Report...], "conll": [ConllReport...]}`, fields in
    /// declaration order, pretty-printed, with a final newline.
    pub fn to_json(&self) -> String {
        // Plain structs of strings, counts and finite floats always serialize.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

impl fmt::Display for Evaluation {
    /// The text form: for each set its four tables, then every missed and spurious item with
    /// its sentence; then each CoNLL set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for report in &self.sets {
            if !first {
                f.write_char('\n')?;
            }
            first = false;
            write!(f, "{report}")?;
        }
        for report in &self.conll {
            if !first {
                f.write_char('\n')?;
            }
            first = false;
            write!(f, "{report}")?;
        }
        Ok(())
    }
}

fn table(f: &mut fmt::Formatter<'_>, title: &str, table: &Table) -> fmt::Result {
    // Row names are indented by two under the title.
    let width = table
        .rows
        .iter()
        .map(|r| r.name.chars().count() + 2)
        .chain([title.chars().count(), 10])
        .max()
        .unwrap_or(10);
    writeln!(
        f,
        "{title:<width$} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6}",
        "tp", "fp", "fn", "P", "R", "F1"
    )?;
    let row = |f: &mut fmt::Formatter<'_>, r: &Row| {
        writeln!(
            f,
            "  {:<w$} {:>5} {:>5} {:>5} {:>6.3} {:>6.3} {:>6.3}",
            r.name,
            r.tp,
            r.fp,
            r.fn_,
            r.precision,
            r.recall,
            r.f1,
            w = width - 2
        )
    };
    for r in &table.rows {
        row(f, r)?;
    }
    row(f, &table.total)
}

/// Precision per tier: which of gazetteer, lexicon, composition, discovery and coreference
/// errs.
fn via_table(f: &mut fmt::Formatter<'_>, title: &str, rows: &[ViaRow]) -> fmt::Result {
    writeln!(f, "{title:<14} {:>6} {:>7} {:>6}", "ours", "correct", "P")?;
    for r in rows {
        writeln!(
            f,
            "  {:<12} {:>6} {:>7} {:>6.3}",
            r.via, r.predicted, r.correct, r.precision
        )?;
    }
    Ok(())
}

fn sentence(f: &mut fmt::Formatter<'_>, sentence: &Option<String>) -> fmt::Result {
    match sentence {
        Some(s) => writeln!(f, "      | {s}"),
        None => writeln!(f, "      | (not found in the text)"),
    }
}

fn entity_item(f: &mut fmt::Formatter<'_>, e: &EntityItem) -> fmt::Result {
    write!(f, "  {}  {} «{}»", e.doc, e.label, e.text)?;
    if let Some(level) = e.level {
        write!(f, " [{}]", level.as_str())?;
    }
    if let Some(key) = &e.key {
        write!(f, " key {key}")?;
    }
    if let Some(entity) = &e.entity {
        write!(f, " as {entity}")?;
    }
    f.write_char('\n')?;
    sentence(f, &e.sentence)
}

fn relation_item(f: &mut fmt::Formatter<'_>, r: &RelationItem) -> fmt::Result {
    write!(f, "  {}  {} {} {}", r.doc, r.subject, r.predicate, r.object)?;
    if let Some(role) = &r.role {
        write!(f, " ({role})")?;
    }
    if let Some(level) = r.level {
        write!(f, " [{}]", level.as_str())?;
    }
    if let Some(line) = r.line {
        write!(f, " line {line}")?;
    }
    f.write_char('\n')?;
    sentence(f, &r.sentence)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "== gold set {} ({} document{})",
            self.name,
            self.documents,
            if self.documents == 1 { "" } else { "s" }
        )?;
        if !self.missing_documents.is_empty() {
            writeln!(
                f,
                "!! gold documents without input text (not scored): {}",
                self.missing_documents.join(", ")
            )?;
        }
        for (name, t) in self.tables() {
            f.write_char('\n')?;
            table(f, name, t)?;
            if name == "entities.all" && !self.entities_by_via.is_empty() {
                f.write_char('\n')?;
                via_table(f, "entities.via", &self.entities_by_via)?;
            }
        }
        if self.relations.is_some() {
            writeln!(
                f,
                "\nroles: {} of {} matched relations with a gold role agree",
                self.roles.matched, self.roles.checked
            )?;
        }
        let lists: [(&str, &[EntityItem]); 2] = [
            ("missed entities", &self.missed_entities),
            ("spurious entities", &self.spurious_entities),
        ];
        for (title, items) in lists {
            writeln!(f, "\n{title} ({})", items.len())?;
            for item in items {
                entity_item(f, item)?;
            }
        }
        if self.relations.is_some() {
            let lists: [(&str, &[RelationItem]); 2] = [
                ("missed relations", &self.missed_relations),
                ("spurious relations", &self.spurious_relations),
            ];
            for (title, items) in lists {
                writeln!(f, "\n{title} ({})", items.len())?;
                for item in items {
                    relation_item(f, item)?;
                }
            }
            writeln!(f, "\nrole mismatches ({})", self.role_mismatches.len())?;
            for m in &self.role_mismatches {
                write!(
                    f,
                    "  {}  {} {} {}: gold {}, found {}",
                    m.doc,
                    m.subject,
                    m.predicate,
                    m.object,
                    m.gold,
                    if m.found.is_empty() {
                        "no role".to_string()
                    } else {
                        m.found.join(" | ")
                    }
                )?;
                if let Some(line) = m.line {
                    write!(f, " line {line}")?;
                }
                f.write_char('\n')?;
                sentence(f, &m.sentence)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for ConllReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "== CoNLL set {} ({} sentences",
            self.name, self.sentences
        )?;
        match self.context {
            0 => {}
            1 => write!(f, ", each after the sentence before it")?,
            n => write!(f, ", each after the {n} sentences before it")?,
        }
        writeln!(f, "): precision of our top-level mentions")?;
        let width = self
            .rows
            .iter()
            .map(|r| r.name.chars().count() + 2)
            .chain([7])
            .max()
            .unwrap_or(7);
        writeln!(
            f,
            "\n{:<width$} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "label", "gold", "ours", "exact", "overl", "P", "P~", "R", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, r: &ConllRow| {
            writeln!(
                f,
                "  {:<w$} {:>6} {:>6} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                r.name,
                r.gold,
                r.predicted,
                r.exact,
                r.overlap,
                r.precision,
                r.overlap_precision,
                r.recall,
                r.f1,
                w = width - 2
            )
        };
        for r in &self.rows {
            row(f, r)?;
        }
        row(f, &self.total)?;
        writeln!(
            f,
            "\nP: exact span and accepted type; P~: overlapping span; R: gold spans found exactly (for information)"
        )?;
        if !self.by_via.is_empty() {
            f.write_char('\n')?;
            via_table(f, "exact P by via", &self.by_via)?;
            f.write_char('\n')?;
        }
        if !self.unmapped.is_empty() {
            let list: Vec<String> = self
                .unmapped
                .iter()
                .map(|u| format!("{} ({})", u.label, u.spans))
                .collect();
            writeln!(f, "unmapped gold labels, not scored: {}", list.join(", "))?;
        }
        if self.out_of_scope > 0 {
            writeln!(
                f,
                "mentions of types no label maps to, not scored: {}",
                self.out_of_scope
            )?;
        }
        writeln!(f, "\nnot exactly right ({})", self.spurious.len())?;
        for m in &self.spurious {
            write!(
                f,
                "  line {}  {} «{}» as {}",
                m.line, m.entity_type, m.text, m.entity
            )?;
            match &m.overlaps {
                Some(gold) => writeln!(f, "; gold {gold}")?,
                None => f.write_char('\n')?,
            }
            writeln!(f, "      | {}", m.sentence)?;
        }
        Ok(())
    }
}
