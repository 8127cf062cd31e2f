//! The rule file format (`gazetteers/rules/*.toml`, documented in `gazetteers/rules/README.md`)
//! and its validation. Every problem is reported as `file:line: reason`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::conjugate::Conjugation;
use super::predicates::Predicates;
use super::{line_of, parse_toml};
use crate::gazetteer::{EntityType, RowError};
use crate::text::skeleton;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    lang: Option<String>,
    /// Where objects stand by default: `before` the trigger (Persian) or `after` (English).
    object_side: Option<String>,
    conjugation: Option<Conjugation>,
    #[serde(default)]
    verbs: BTreeMap<String, Spanned<VerbSpec>>,
    #[serde(default)]
    markers: MarkersSpec,
    #[serde(default)]
    clauses: ClausesSpec,
    #[serde(default)]
    coref: CorefSpec,
    #[serde(default)]
    modality: ModalitySpec,
    #[serde(default)]
    places: PlacesSpec,
    #[serde(default)]
    title: Vec<Spanned<TitleSpec>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleSpec>>,
}

/// A light or auxiliary verb, by its stems, or the copula.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VerbSpec {
    /// Past stem (کرد).
    pub past: Option<String>,
    /// Present stem (کن).
    pub present: Option<String>,
    /// The copula (است، هستند، بود، ...), which has no regular stems.
    #[serde(default)]
    pub copula: bool,
}

/// Argument markers.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MarkersSpec {
    /// Marker words that stand before their argument (با، از).
    #[serde(default)]
    pub prepositions: Vec<String>,
    /// Marker words that stand after their argument (را).
    #[serde(default)]
    pub postpositions: Vec<String>,
    /// Phrases in which a marker word is not a marker (پس از).
    #[serde(default)]
    pub not_markers: Vec<String>,
    /// Phrases in which a trigger word is no trigger (the sports «دیدار تیم»): a trigger
    /// inside one of them is left out.
    #[serde(default)]
    pub not_triggers: Vec<String>,
}

/// Clause structure words.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ClausesSpec {
    /// Words that open a relative clause (که، who, which).
    #[serde(default)]
    pub relative: Vec<String>,
    /// Conjunctions after which a clause shares the previous subject (و، and).
    #[serde(default)]
    pub conjunctions: Vec<String>,
    /// Words that connect the titles of one person.
    #[serde(default)]
    pub title_connectors: Vec<String>,
    /// Punctuation that opens a new clause (the colon of reported speech).
    #[serde(default)]
    pub openers: Vec<String>,
    /// Words that may stand between the items of a list (و، «،», and, the).
    #[serde(default)]
    pub list_joiners: Vec<String>,
    /// Words and marks that join two names inside one alias («آسیا و اقیانوسیه», "E3+3"): a
    /// name so joined is named there, not shadowed by the longer alias (gazetteer lint).
    #[serde(default)]
    pub name_joiners: Vec<String>,
    /// Words that open the topic of talks («در خصوص», «درباره», «برای»): no argument is taken
    /// from the opener up to the next marker of the rule or the trigger.
    #[serde(default)]
    pub topic_openers: Vec<String>,
}

/// Coreference words.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CorefSpec {
    /// Third-person pronouns that refer to a person.
    #[serde(default)]
    pub pronouns: Vec<String>,
    /// References to the two parties of the last meeting («دو طرف»).
    #[serde(default)]
    pub pairs: Vec<String>,
    /// The writer's own country («کشورمان»): the country of the news medium that writes the
    /// text, the first one the document names.
    #[serde(default)]
    pub home: Vec<String>,
}

/// Words about places.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PlacesSpec {
    /// Words that, right before a capital, make it the place and not the state it stands
    /// for («در تهران», «به پکن», "in Washington"); elsewhere a capital is its state
    /// («واشنگتن اعلام کرد»).
    #[serde(default)]
    pub before_place: Vec<String>,
    /// English country names written with "the" in a role ("Ambassador to the United
    /// States").
    #[serde(default)]
    pub definite_names: Vec<String>,
}

/// Cues that decide the modality of subjunctive triggers.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ModalitySpec {
    /// Cues of a planned event.
    #[serde(default)]
    pub planned: Vec<String>,
    /// Cues of a possible or wished event.
    #[serde(default)]
    pub hypothetical: Vec<String>,
    /// Time words that, right after a nominal trigger, date it in the past.
    #[serde(default)]
    pub past: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleSpec {
    phrases: Vec<String>,
    role: String,
    types: Vec<String>,
    #[serde(default)]
    bodies: Vec<String>,
    host_role: Option<String>,
    #[serde(default)]
    host_markers: Vec<String>,
    #[serde(default)]
    plural: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArgSpec {
    types: Vec<String>,
    #[serde(default)]
    markers: Vec<String>,
    side: Option<String>,
    #[serde(default)]
    list: bool,
    reach: Option<usize>,
    #[serde(default)]
    adjacent: bool,
    #[serde(default)]
    every: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    predicate: String,
    #[serde(default)]
    symmetric: bool,
    #[serde(default)]
    nominal: bool,
    #[serde(default)]
    same_type: bool,
    #[serde(default)]
    nouns: Vec<String>,
    verb: Option<String>,
    #[serde(default)]
    triggers: Vec<String>,
    #[serde(default)]
    negated: Vec<String>,
    #[serde(default)]
    planned: Vec<String>,
    #[serde(default)]
    requires: Vec<String>,
    window: Option<String>,
    channel: Option<String>,
    subject: ArgSpec,
    object: ArgSpec,
}

/// Where an argument stands relative to its trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Before the trigger (Persian subjects and objects; English subjects).
    Before,
    /// After the trigger (English objects; the genitive after a Persian noun).
    After,
}

/// How far a rule looks for its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The clause of the trigger (the default).
    Clause,
    /// The whole sentence.
    Sentence,
}

/// One argument slot of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Argument {
    /// Allowed entity types, in order of preference.
    pub types: Vec<EntityType>,
    /// Marker words, normalized (as the lexicon reports them); empty for the unmarked
    /// argument (the subject).
    pub markers: Vec<String>,
    /// Where it stands.
    pub side: Side,
    /// Whether it takes every coordinated mention («الف، ب و ج») rather than one.
    pub list: bool,
    /// At most this many words may stand between it and the trigger (then the nearest
    /// filler is taken).
    pub reach: Option<usize>,
    /// Its marker must follow the trigger (or the trigger's genitive subject) directly:
    /// «همکاری با چین», «دعوت شی جین پینگ از وی».
    pub adjacent: bool,
    /// It takes every fitting mention of its window, coordinated or not (the reciprocal
    /// «X رئیس ... و Y دبیر ... با هم دیدار کردند»).
    pub every: bool,
}

/// How a trigger form was inflected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inflection {
    /// Past, present or perfect: the event happened or holds.
    Indicative,
    /// Future: planned.
    Future,
    /// Subjunctive: planned or hypothetical, depending on cues.
    Subjunctive,
}

/// One concrete trigger phrase of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerForm {
    /// The phrase as matched.
    pub text: String,
    /// Whether it is negated (دیدار نکرد).
    pub negated: bool,
    /// Its inflection.
    pub inflection: Inflection,
}

/// A validated rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Unique id, written to each relation it produces.
    pub id: String,
    /// The predicate it produces.
    pub predicate: String,
    /// Whether the predicate is symmetric.
    pub symmetric: bool,
    /// Nominal triggers (دعوت، همکاری) do not end a clause; verbal ones do.
    pub nominal: bool,
    /// The object must have the subject's type (people meet people, states meet states).
    pub same_type: bool,
    /// Every trigger phrase, inflected.
    pub triggers: Vec<TriggerForm>,
    /// Phrases that must occur in the window for the rule to fire.
    pub requires: Vec<String>,
    /// The markers of both arguments, normalized: they split the clause into segments.
    pub markers: Vec<String>,
    /// How far it looks.
    pub window: Window,
    /// How the event took place, written to its relations (`phone`), when the rule says.
    pub channel: Option<String>,
    /// The subject slot.
    pub subject: Argument,
    /// The object slot.
    pub object: Argument,
    /// Where it was defined.
    pub file: String,
    /// The line of its `[[rule]]` header.
    pub line: usize,
}

/// A title phrase and the office it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    /// The rule id written to its relations: `<lang>.title.<role>` (`fa.title.president`).
    pub id: String,
    /// The phrases (رئیس جمهور).
    pub phrases: Vec<String>,
    /// The English role (President).
    pub role: String,
    /// The types of the body the office belongs to, in order of preference.
    pub types: Vec<EntityType>,
    /// When not empty, the only bodies (node ids) this title applies to: the office has
    /// another name there («وزیر خارجه آمریکا» is the Secretary of State).
    pub bodies: Vec<String>,
    /// The role when the body is followed by a host country («سفیر سوریه در واشنگتن»):
    /// `{host}` stands for the host's English name ("Ambassador to {host}").
    pub host_role: Option<String>,
    /// The words between the body and its host («در»).
    pub host_markers: Vec<String>,
    /// A plural title («وزیران خارجه روسیه و آمریکا») after a list of people: each holds it in
    /// the body of the list after it in the same place.
    pub plural: bool,
}

/// Everything one or more rule files define.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSpecs {
    /// Relation rules, in file order.
    pub rules: Vec<Rule>,
    /// Title phrases.
    pub titles: Vec<Title>,
    /// Argument markers.
    pub markers: MarkersSpec,
    /// Clause words.
    pub clauses: ClausesSpec,
    /// Coreference words.
    pub coref: CorefSpec,
    /// Modality cues.
    pub modality: ModalitySpec,
    /// Place words.
    pub places: PlacesSpec,
}

fn parse_types(types: &[String]) -> Result<Vec<EntityType>, String> {
    if types.is_empty() {
        return Err("an argument needs at least one type".into());
    }
    types
        .iter()
        .map(|t| EntityType::parse(t).ok_or_else(|| format!("unknown entity type {t:?}")))
        .collect()
}

/// The columns of a roles table (`rules/roles.<lang>.tsv`), in order.
const ROLE_COLUMNS: [&str; 8] = [
    "phrases",
    "role",
    "types",
    "bodies",
    "host_role",
    "host_markers",
    "plural",
    "note",
];

impl RuleSpecs {
    /// Adds one title (a row of a roles table or a `[[title]]` block) of language `lang`.
    fn add_title(&mut self, lang: &str, t: &TitleSpec) -> Result<(), String> {
        if let Some(blank) = t.phrases.iter().find(|p| skeleton(p).is_empty()) {
            return Err(format!("title: empty phrase {blank:?}"));
        }
        if let Some(host_role) = &t.host_role {
            if !host_role.contains("{host}") || t.host_markers.is_empty() {
                return Err("title: `host_role` needs `{host}` and `host_markers`".into());
            }
        }
        let types = parse_types(&t.types).map_err(|reason| format!("title: {reason}"))?;
        if t.phrases.is_empty() || t.role.trim().is_empty() {
            return Err("a title needs phrases and a role".into());
        }
        self.titles.push(Title {
            id: format!(
                "{lang}.title.{}",
                t.role
                    .to_lowercase()
                    .replace(|c: char| !c.is_alphanumeric(), "-")
            ),
            phrases: t.phrases.clone(),
            role: t.role.clone(),
            types,
            bodies: t.bodies.clone(),
            host_role: t.host_role.clone(),
            host_markers: t.host_markers.clone(),
            plural: t.plural,
        });
        Ok(())
    }

    /// Parses a roles table: one row per title, its Persian (or English) phrases, the English
    /// role written to `holds_office`, the body types it may attach to, in order of preference,
    /// and optionally the only bodies it applies to and its host role. Lists are ` | `-separated;
    /// `#` lines are comments. The language is the file name's (`roles.fa.tsv`).
    pub(crate) fn add_roles(&mut self, file: &str, text: &str, errors: &mut Vec<RowError>) {
        let lang = file
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_prefix("roles."))
            .and_then(|n| n.strip_suffix(".tsv"))
            .unwrap_or("xx")
            .to_string();
        let list = |cell: &str| -> Vec<String> {
            cell.split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut header_seen = false;
        for (i, row) in text.lines().enumerate() {
            let line = i + 1;
            if row.trim().is_empty() || row.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = row.split('\t').collect();
            if !header_seen {
                header_seen = true;
                if cells != ROLE_COLUMNS {
                    errors.push(RowError {
                        file: file.to_string(),
                        line,
                        reason: format!("the header must be {}", ROLE_COLUMNS.join("\\t")),
                    });
                    return;
                }
                continue;
            }
            if cells.len() > ROLE_COLUMNS.len() || cells.len() < 3 {
                errors.push(RowError {
                    file: file.to_string(),
                    line,
                    reason: format!(
                        "{} cells, expected at most {} ({})",
                        cells.len(),
                        ROLE_COLUMNS.len(),
                        ROLE_COLUMNS.join(", ")
                    ),
                });
                continue;
            }
            let cell = |k: usize| cells.get(k).copied().unwrap_or("").trim();
            let title = TitleSpec {
                phrases: list(cell(0)),
                role: cell(1).to_string(),
                types: list(cell(2)),
                bodies: list(cell(3)),
                host_role: Some(cell(4)).filter(|c| !c.is_empty()).map(str::to_string),
                host_markers: list(cell(5)),
                plural: match cell(6) {
                    "" | "no" => false,
                    "yes" => true,
                    other => {
                        errors.push(RowError {
                            file: file.to_string(),
                            line,
                            reason: format!("plural {other:?} is not yes or no"),
                        });
                        continue;
                    }
                },
            };
            if let Err(reason) = self.add_title(&lang, &title) {
                errors.push(RowError {
                    file: file.to_string(),
                    line,
                    reason,
                });
            }
        }
    }
}

impl RuleSpecs {
    /// Parses one rule file and adds its content; problems go to `errors`. Rules may use
    /// only the predicates of `predicates`.
    pub(crate) fn add_file(
        &mut self,
        file: &str,
        text: &str,
        predicates: &Predicates,
        errors: &mut Vec<RowError>,
    ) {
        let error = |line: usize, reason: String| RowError {
            file: file.to_string(),
            line,
            reason,
        };
        let Some(spec) = parse_toml::<FileSpec>(file, text, errors) else {
            return;
        };
        let default_object_side = match spec.object_side.as_deref() {
            None | Some("before") => Side::Before,
            Some("after") => Side::After,
            Some(other) => {
                errors.push(error(
                    1,
                    format!("object_side {other:?} is not before or after"),
                ));
                return;
            }
        };
        let conjugation = spec.conjugation.clone().unwrap_or_default();
        let mut verbs = BTreeMap::new();
        for (name, verb) in &spec.verbs {
            let line = line_of(text, verb.span().start);
            let v = verb.get_ref();
            if spec.conjugation.is_none() {
                errors.push(error(
                    line,
                    format!("verb {name:?} needs a [conjugation] table in the same file"),
                ));
                continue;
            }
            if !v.copula && (v.past.is_none() || v.present.is_none()) {
                errors.push(error(
                    line,
                    format!("verb {name:?} needs `past` and `present` stems, or `copula = true`"),
                ));
                continue;
            }
            verbs.insert(name.clone(), v.clone());
        }
        let lang = spec.lang.as_deref().unwrap_or("xx");
        for title in &spec.title {
            let line = line_of(text, title.span().start);
            if let Err(reason) = self.add_title(lang, title.get_ref()) {
                errors.push(error(line, reason));
            }
        }
        for rule in &spec.rule {
            let line = line_of(text, rule.span().start);
            let context = RuleContext {
                verbs: &verbs,
                conjugation: &conjugation,
                predicates,
                default_object_side,
            };
            match build_rule(rule.get_ref(), &context, file, line) {
                Ok(rule) => {
                    if let Some(first) = self.rules.iter().find(|r| r.id == rule.id) {
                        errors.push(error(
                            line,
                            format!(
                                "duplicate rule id {:?} (first at {}:{})",
                                rule.id, first.file, first.line
                            ),
                        ));
                    } else {
                        self.rules.push(rule);
                    }
                }
                Err(reason) => errors.push(error(
                    line,
                    format!("rule {:?}: {reason}", rule.get_ref().id),
                )),
            }
        }
        // A phrase that normalizes to nothing would match nowhere, or, inside a longer
        // phrase, everywhere: an error, at the line of its key.
        let lists: [(&str, &str, &Vec<String>); 18] = [
            ("markers", "prepositions", &spec.markers.prepositions),
            ("markers", "postpositions", &spec.markers.postpositions),
            ("markers", "not_markers", &spec.markers.not_markers),
            ("markers", "not_triggers", &spec.markers.not_triggers),
            ("clauses", "topic_openers", &spec.clauses.topic_openers),
            ("clauses", "relative", &spec.clauses.relative),
            ("clauses", "conjunctions", &spec.clauses.conjunctions),
            (
                "clauses",
                "title_connectors",
                &spec.clauses.title_connectors,
            ),
            ("clauses", "openers", &spec.clauses.openers),
            ("clauses", "list_joiners", &spec.clauses.list_joiners),
            ("clauses", "name_joiners", &spec.clauses.name_joiners),
            ("coref", "pronouns", &spec.coref.pronouns),
            ("coref", "pairs", &spec.coref.pairs),
            ("coref", "home", &spec.coref.home),
            ("modality", "planned", &spec.modality.planned),
            ("modality", "hypothetical", &spec.modality.hypothetical),
            ("modality", "past", &spec.modality.past),
            ("places", "before_place", &spec.places.before_place),
        ];
        for (table, key, list) in lists {
            if let Some(blank) = list.iter().find(|p| skeleton(p).is_empty()) {
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with(&format!("{key} ")))
                    .map_or(1, |i| i + 1);
                errors.push(error(
                    line,
                    format!("{table}.{key}: empty phrase {blank:?}"),
                ));
            }
        }
        let extend = |into: &mut Vec<String>, from: Vec<String>| into.extend(from);
        extend(&mut self.markers.prepositions, spec.markers.prepositions);
        extend(&mut self.markers.postpositions, spec.markers.postpositions);
        extend(&mut self.markers.not_markers, spec.markers.not_markers);
        extend(&mut self.markers.not_triggers, spec.markers.not_triggers);
        extend(&mut self.clauses.topic_openers, spec.clauses.topic_openers);
        extend(&mut self.clauses.relative, spec.clauses.relative);
        extend(&mut self.clauses.conjunctions, spec.clauses.conjunctions);
        extend(
            &mut self.clauses.title_connectors,
            spec.clauses.title_connectors,
        );
        extend(&mut self.clauses.openers, spec.clauses.openers);
        extend(&mut self.clauses.list_joiners, spec.clauses.list_joiners);
        extend(&mut self.clauses.name_joiners, spec.clauses.name_joiners);
        extend(&mut self.coref.pronouns, spec.coref.pronouns);
        extend(&mut self.coref.pairs, spec.coref.pairs);
        extend(&mut self.coref.home, spec.coref.home);
        extend(&mut self.modality.planned, spec.modality.planned);
        extend(&mut self.modality.past, spec.modality.past);
        extend(&mut self.modality.hypothetical, spec.modality.hypothetical);
        extend(&mut self.places.before_place, spec.places.before_place);
        extend(&mut self.places.definite_names, spec.places.definite_names);
    }
}

/// What a rule of one file is built with: the file's verbs and conjugation, the predicate
/// table, and the language's object side.
struct RuleContext<'a> {
    verbs: &'a BTreeMap<String, VerbSpec>,
    conjugation: &'a Conjugation,
    predicates: &'a Predicates,
    default_object_side: Side,
}

/// A rule's predicate must be in the table, with the table's symmetry.
fn check_predicate(spec: &RuleSpec, predicates: &Predicates) -> Result<(), String> {
    match predicates.get(&spec.predicate) {
        Some(p) if p.background => Err(format!(
            "predicate {} is a background fact of the gazetteer, not of the text",
            spec.predicate
        )),
        Some(p) if p.symmetric != spec.symmetric => Err(format!(
            "predicate {} is {}symmetric in the predicate table",
            spec.predicate,
            if p.symmetric { "" } else { "not " }
        )),
        Some(_) => Ok(()),
        None => Err(format!(
            "predicate {:?} is not in {}",
            spec.predicate,
            super::predicates::PREDICATES_FILE
        )),
    }
}

fn build_rule(
    spec: &RuleSpec,
    context: &RuleContext,
    file: &str,
    line: usize,
) -> Result<Rule, String> {
    if spec.id.trim().is_empty() {
        return Err("empty id".into());
    }
    check_predicate(spec, context.predicates)?;
    let phrase_lists = [
        ("nouns", &spec.nouns),
        ("triggers", &spec.triggers),
        ("negated", &spec.negated),
        ("planned", &spec.planned),
        ("requires", &spec.requires),
        ("subject.markers", &spec.subject.markers),
        ("object.markers", &spec.object.markers),
    ];
    for (name, list) in phrase_lists {
        if let Some(blank) = list.iter().find(|p| skeleton(p).is_empty()) {
            return Err(format!("{name}: empty phrase {blank:?}"));
        }
    }
    let mut triggers = Vec::new();
    match (&spec.verb, spec.nominal) {
        (Some(_), true) => return Err("a nominal rule has no verb".into()),
        (Some(name), false) => {
            let verb = context
                .verbs
                .get(name)
                .ok_or_else(|| format!("unknown verb {name:?}"))?;
            if spec.nouns.is_empty() {
                return Err("a rule with a verb needs nouns".into());
            }
            for noun in &spec.nouns {
                triggers.extend(super::conjugate::compound_forms(
                    noun,
                    verb,
                    context.conjugation,
                ));
            }
        }
        (None, nominal) => {
            if nominal {
                for noun in &spec.nouns {
                    triggers.push(TriggerForm {
                        text: noun.clone(),
                        negated: false,
                        inflection: Inflection::Indicative,
                    });
                }
            } else if !spec.nouns.is_empty() {
                return Err("nouns need a verb, or `nominal = true`".into());
            }
            let explicit = [
                (&spec.triggers, false, Inflection::Indicative),
                (&spec.negated, true, Inflection::Indicative),
                (&spec.planned, false, Inflection::Future),
            ];
            for (list, negated, inflection) in explicit {
                triggers.extend(list.iter().map(|t| TriggerForm {
                    text: t.clone(),
                    negated,
                    inflection,
                }));
            }
        }
    }
    if triggers.is_empty() {
        return Err("no trigger phrases".into());
    }
    if let Some(empty) = triggers
        .iter()
        .find(|t| !t.text.chars().any(char::is_alphanumeric))
    {
        return Err(format!("empty trigger phrase {:?}", empty.text));
    }
    let argument = |name: &str, arg: &ArgSpec| -> Result<Argument, String> {
        let side = match arg.side.as_deref() {
            None => default_side_for(name, context.default_object_side),
            Some("before") => Side::Before,
            Some("after") => Side::After,
            Some(other) => return Err(format!("{name}: side {other:?} is not before or after")),
        };
        Ok(Argument {
            types: parse_types(&arg.types).map_err(|e| format!("{name}: {e}"))?,
            markers: arg.markers.iter().map(|m| skeleton(m)).collect(),
            side,
            list: arg.list,
            reach: arg.reach,
            adjacent: arg.adjacent,
            every: arg.every,
        })
    };
    let window = match spec.window.as_deref() {
        None | Some("clause") => Window::Clause,
        Some("sentence") => Window::Sentence,
        Some(other) => return Err(format!("window {other:?} is not clause or sentence")),
    };
    let subject = argument("subject", &spec.subject)?;
    let object = argument("object", &spec.object)?;
    if let Some(channel) = &spec.channel {
        let word = |c: char| c.is_ascii_lowercase() || c == '_';
        if channel.is_empty() || !channel.chars().all(word) {
            return Err(format!(
                "channel {channel:?} is not a lower-case word (phone, video, letter)"
            ));
        }
    }
    Ok(Rule {
        id: spec.id.clone(),
        predicate: spec.predicate.clone(),
        symmetric: spec.symmetric,
        nominal: spec.nominal,
        same_type: spec.same_type,
        channel: spec.channel.clone(),
        triggers,
        requires: spec.requires.clone(),
        markers: subject
            .markers
            .iter()
            .chain(&object.markers)
            .cloned()
            .collect(),
        window,
        subject,
        object,
        file: file.to_string(),
        line,
    })
}

/// Subjects stand before the trigger in both languages; objects follow the language default.
fn default_side_for(name: &str, default: Side) -> Side {
    if name == "subject" {
        Side::Before
    } else {
        default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let mut specs = RuleSpecs::default();
        let mut errors = Vec::new();
        let predicates = Predicates::parse("rules/predicates.toml", TABLE, &mut errors);
        specs.add_file("rules/t.toml", text, &predicates, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    const TABLE: &str = "[[predicate]]\nname = \"met_with\"\nsymmetric = true\nsubject = [\"PERSON\"]\nobject = [\"PERSON\"]\n\n[[predicate]]\nname = \"criticized\"\nsubject = [\"PERSON\"]\nobject = [\"PERSON\"]\n";

    const OK_RULE: &str = "[conjugation]\nnegation = \"ن\"\nprogressive = \"می\"\nsubjunctive = \"ب\"\nparticiple = \"ه\"\npast_persons = [\"\"]\npresent_persons = [\"د\"]\nperfect_auxiliaries = []\nfuture_auxiliaries = []\ncopula = { indicative = [], negated = [], future = \"\", subjunctive = [] }\n\n[verbs.kardan]\npast = \"کرد\"\npresent = \"کن\"\n\n[[rule]]\nid = \"r\"\npredicate = \"met_with\"\nsymmetric = true\nnouns = [\"دیدار\"]\nverb = \"kardan\"\nsubject = { types = [\"PERSON\"] }\nobject = { types = [\"PERSON\"], markers = [\"با\"] }\n";

    #[test]
    fn valid_rule() {
        assert_eq!(errors(OK_RULE), Vec::<String>::new());
    }

    /// (name, replacement applied to OK_RULE, expected error)
    const BAD: &[(&str, (&str, &str), &str)] = &[
        ("syntax", ("nouns = [", "nouns = "), "rules/t.toml:20: "),
        (
            "unknown field",
            ("symmetric = true", "symmetric = true\nsymetric = true"),
            "rules/t.toml:20: unknown field `symetric`",
        ),
        (
            "unknown type",
            (
                "object = { types = [\"PERSON\"]",
                "object = { types = [\"HUMAN\"]",
            ),
            "rules/t.toml:16: rule \"r\": object: unknown entity type \"HUMAN\"",
        ),
        (
            "unknown verb",
            ("verb = \"kardan\"", "verb = \"shodan\""),
            "rules/t.toml:16: rule \"r\": unknown verb \"shodan\"",
        ),
        (
            "symmetry disagrees with contract",
            ("symmetric = true", "symmetric = false"),
            "rules/t.toml:16: rule \"r\": predicate met_with is symmetric in the predicate table",
        ),
        (
            "bad side",
            (
                "markers = [\"با\"] }",
                "markers = [\"با\"], side = \"left\" }",
            ),
            "rules/t.toml:16: rule \"r\": object: side \"left\" is not before or after",
        ),
        (
            "bad channel",
            (
                "verb = \"kardan\"",
                "verb = \"kardan\"\nchannel = \"Phone call\"",
            ),
            "rules/t.toml:16: rule \"r\": channel \"Phone call\" is not a lower-case word",
        ),
        (
            "bad predicate",
            ("predicate = \"met_with\"", "predicate = \"Met With\""),
            "rules/t.toml:16: rule \"r\": predicate \"Met With\" is not in rules/predicates.toml",
        ),
    ];

    #[test]
    fn bad_rules_name_file_and_line() {
        for (name, (from, to), expected) in BAD {
            let text = OK_RULE.replacen(from, to, 1);
            let got = errors(&text);
            assert_eq!(got.len(), 1, "{name}: {got:?}");
            assert!(
                got[0].starts_with(expected),
                "{name}: {:?} does not start with {expected:?}",
                got[0]
            );
        }
    }

    #[test]
    fn a_host_role_needs_its_placeholder_and_markers() {
        let title =
            "\n[[title]]\nphrases = [\"سفیر\"]\nrole = \"Ambassador\"\ntypes = [\"COUNTRY\"]\n";
        let ok = format!(
            "{OK_RULE}{title}host_role = \"Ambassador to {{host}}\"\nhost_markers = [\"در\"]\n"
        );
        assert_eq!(errors(&ok), Vec::<String>::new());
        for extra in [
            "host_role = \"Ambassador\"\nhost_markers = [\"در\"]\n",
            "host_role = \"Ambassador to {host}\"\n",
        ] {
            let got = errors(&format!("{OK_RULE}{title}{extra}"));
            assert_eq!(
                got,
                ["rules/t.toml:25: title: `host_role` needs `{host}` and `host_markers`"],
                "{extra}"
            );
        }
    }

    #[test]
    fn roles_tables_load_rows_and_name_bad_ones() {
        let header = ROLE_COLUMNS.join("\t");
        let text = format!(
            "# comment\n{header}\nسفیر\tAmbassador\tCOUNTRY\t\tAmbassador to {{host}}\tدر\t\tnote\nوزیر\tMinister\tHUMAN\n\tNobody\tCOUNTRY\n"
        );
        let mut specs = RuleSpecs::default();
        let mut errors = Vec::new();
        specs.add_roles("rules/roles.fa.tsv", &text, &mut errors);
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "rules/roles.fa.tsv:4: title: unknown entity type \"HUMAN\"",
                "rules/roles.fa.tsv:5: a title needs phrases and a role",
            ]
        );
        assert_eq!(specs.titles.len(), 1);
        let title = &specs.titles[0];
        assert_eq!(title.id, "fa.title.ambassador");
        assert_eq!(title.host_role.as_deref(), Some("Ambassador to {host}"));
        assert_eq!(title.host_markers, ["در"]);

        let mut errors = Vec::new();
        specs.add_roles("rules/roles.fa.tsv", "phrases\trole\n", &mut errors);
        assert!(errors[0]
            .to_string()
            .starts_with("rules/roles.fa.tsv:1: the header must be"));
    }

    #[test]
    fn empty_phrases_are_errors() {
        let cases = [
            (
                OK_RULE.replace("nouns = [\"دیدار\"]", "nouns = [\"\"]"),
                "rules/t.toml:16: rule \"r\": nouns: empty phrase \"\"",
            ),
            (
                OK_RULE.replace("markers = [\"با\"]", "markers = [\"\u{200C} \"]"),
                "rules/t.toml:16: rule \"r\": object.markers: empty phrase \"\\u{200c} \"",
            ),
            (
                format!("{OK_RULE}\n[clauses]\nconjunctions = [\"و\", \" \"]\n"),
                "rules/t.toml:26: clauses.conjunctions: empty phrase \" \"",
            ),
            (
                format!("{OK_RULE}\n[[title]]\nphrases = [\"\"]\nrole = \"President\"\ntypes = [\"COUNTRY\"]\n"),
                "rules/t.toml:25: title: empty phrase \"\"",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(errors(&text), [expected]);
        }
    }

    #[test]
    fn duplicate_rule_id() {
        let text = format!("{OK_RULE}\n[[rule]]\nid = \"r\"\npredicate = \"met_with\"\nsymmetric = true\ntriggers = [\"met\"]\nsubject = {{ types = [\"PERSON\"] }}\nobject = {{ types = [\"PERSON\"] }}\n");
        assert_eq!(
            errors(&text),
            ["rules/t.toml:25: duplicate rule id \"r\" (first at rules/t.toml:16)"]
        );
    }

    #[test]
    fn new_predicates_are_allowed() {
        let text = OK_RULE.replace(
            "predicate = \"met_with\"\nsymmetric = true",
            "predicate = \"criticized\"",
        );
        assert_eq!(errors(&text), Vec::<String>::new());
    }
}
