//! Persian compound-verb morphology: every form of «noun + light verb» a news text uses,
//! generated from the light verb's two stems, so rules list nouns, not forms.
//!
//! Spacing is written with a ZWNJ or a space where Persian writers put one; the matcher
//! accepts a ZWNJ, a space or nothing there (see `gazetteers/affixes.tsv`), so «می‌کند»,
//! «می کند» and «میکند» are one form.

use serde::Deserialize;

use super::format::{Inflection, TriggerForm, VerbSpec};

/// How a language's light verbs inflect: the `[conjugation]` table of its rule file. Persian
/// forms are built from the verb's past and present stems with these affixes and persons.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Conjugation {
    /// Prefix of a negated form (ن).
    pub negation: String,
    /// Prefix of the progressive and the present (می‌).
    pub progressive: String,
    /// Prefix of the affirmative subjunctive (ب).
    pub subjunctive: String,
    /// Ending of the past participle before a perfect auxiliary (ه).
    pub participle: String,
    /// Person endings after the past stem.
    pub past_persons: Vec<String>,
    /// Person endings after the present stem.
    pub present_persons: Vec<String>,
    /// What follows the participle in the perfect (« است», «‌اند», ...).
    pub perfect_auxiliaries: Vec<String>,
    /// The auxiliaries of the future, one per person, before the past stem (خواهد کرد).
    pub future_auxiliaries: Vec<String>,
    /// The copula, which has no regular stems.
    pub copula: CopulaForms,
}

/// The forms of the copula.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CopulaForms {
    /// Affirmative indicative forms (است، هستند، بود، ...).
    pub indicative: Vec<String>,
    /// Negated indicative forms (نیست، نبود، ...).
    pub negated: Vec<String>,
    /// The word after a future auxiliary (خواهد بود).
    pub future: String,
    /// Affirmative subjunctive forms (باشد); the negated ones take the negation prefix.
    pub subjunctive: Vec<String>,
}

/// Every form of the verb alone: (form, negated, inflection).
fn verb_forms(verb: &VerbSpec, c: &Conjugation) -> Vec<(String, bool, Inflection)> {
    use Inflection::*;
    let mut forms = Vec::new();
    if verb.copula {
        let copula = &c.copula;
        forms.extend(
            copula
                .indicative
                .iter()
                .map(|f| (f.clone(), false, Indicative)),
        );
        forms.extend(copula.negated.iter().map(|f| (f.clone(), true, Indicative)));
        for (aux, negated) in c
            .future_auxiliaries
            .iter()
            .map(|a| (a, false))
            .chain(c.future_auxiliaries.iter().map(|a| (a, true)))
        {
            let prefix = if negated { c.negation.as_str() } else { "" };
            forms.push((format!("{prefix}{aux} {}", copula.future), negated, Future));
        }
        for subj in &copula.subjunctive {
            forms.push((subj.clone(), false, Subjunctive));
            forms.push((format!("{}{subj}", c.negation), true, Subjunctive));
        }
        return forms;
    }
    let (Some(past), Some(present)) = (verb.past.as_deref(), verb.present.as_deref()) else {
        return forms;
    };
    let (prog, part) = (&c.progressive, &c.participle);
    for negated in [false, true] {
        let neg = if negated { c.negation.as_str() } else { "" };
        for p in &c.past_persons {
            forms.push((format!("{neg}{past}{p}"), negated, Indicative));
            // Past progressive: «می‌کرد».
            forms.push((format!("{neg}{prog}{past}{p}"), negated, Indicative));
        }
        for aux in &c.perfect_auxiliaries {
            forms.push((format!("{neg}{past}{part}{aux}"), negated, Indicative));
        }
        for p in &c.present_persons {
            forms.push((format!("{neg}{prog}{present}{p}"), negated, Indicative));
            forms.push((format!("{neg}{present}{p}"), negated, Subjunctive));
            if !negated {
                forms.push((format!("{}{present}{p}", c.subjunctive), false, Subjunctive));
            }
        }
        for aux in &c.future_auxiliaries {
            forms.push((format!("{neg}{aux} {past}"), negated, Future));
        }
    }
    forms
}

/// Every trigger phrase of `noun` with `verb`: «دیدار کرد», «دیدار نکردند», «دیدار خواهد
/// کرد», «دیدار کند», ...
pub fn compound_forms(noun: &str, verb: &VerbSpec, conjugation: &Conjugation) -> Vec<TriggerForm> {
    verb_forms(verb, conjugation)
        .into_iter()
        .map(|(form, negated, inflection)| TriggerForm {
            text: format!("{noun} {form}"),
            negated,
            inflection,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `[conjugation]` table of the bundled Persian rules.
    fn persian() -> Conjugation {
        let files = crate::gazetteer::DataFiles::embedded();
        let text = files.get("rules/fa.toml").unwrap_or_default();
        // Other keys of the rule file are not this test's business.
        #[derive(Deserialize)]
        struct File {
            conjugation: Conjugation,
        }
        let file: File = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        file.conjugation
    }

    fn kardan() -> VerbSpec {
        VerbSpec {
            past: Some("کرد".into()),
            present: Some("کن".into()),
            copula: false,
        }
    }

    /// (form, negated, inflection) that must be generated for «دیدار» + کردن.
    const FORMS: &[(&str, bool, Inflection)] = &[
        ("دیدار کرد", false, Inflection::Indicative),
        ("دیدار کردند", false, Inflection::Indicative),
        ("دیدار می‌کند", false, Inflection::Indicative),
        ("دیدار می‌کنند", false, Inflection::Indicative),
        ("دیدار کرده است", false, Inflection::Indicative),
        ("دیدار کرده‌اند", false, Inflection::Indicative),
        ("دیدار نکرد", true, Inflection::Indicative),
        ("دیدار نمی‌کند", true, Inflection::Indicative),
        ("دیدار نکرده است", true, Inflection::Indicative),
        ("دیدار خواهد کرد", false, Inflection::Future),
        ("دیدار خواهند کرد", false, Inflection::Future),
        ("دیدار نخواهد کرد", true, Inflection::Future),
        ("دیدار کند", false, Inflection::Subjunctive),
        ("دیدار بکنند", false, Inflection::Subjunctive),
        ("دیدار نکند", true, Inflection::Subjunctive),
    ];

    #[test]
    fn light_verb_forms() {
        let forms = compound_forms("دیدار", &kardan(), &persian());
        for (text, negated, inflection) in FORMS {
            let found = forms.iter().find(|f| f.text == *text);
            let found = found.unwrap_or_else(|| panic!("{text} not generated"));
            assert_eq!(
                (found.negated, found.inflection),
                (*negated, *inflection),
                "{text}"
            );
        }
    }

    #[test]
    fn copula_forms() {
        let copula = VerbSpec {
            past: None,
            present: None,
            copula: true,
        };
        let forms = compound_forms("پایبند", &copula, &persian());
        let find = |t: &str| {
            forms
                .iter()
                .find(|f| f.text == t)
                .map(|f| (f.negated, f.inflection))
        };
        assert_eq!(find("پایبند است"), Some((false, Inflection::Indicative)));
        assert_eq!(find("پایبند هستند"), Some((false, Inflection::Indicative)));
        assert_eq!(find("پایبند نیست"), Some((true, Inflection::Indicative)));
        assert_eq!(find("پایبند خواهد بود"), Some((false, Inflection::Future)));
        assert_eq!(find("پایبند باشد"), Some((false, Inflection::Subjunctive)));
    }
}
