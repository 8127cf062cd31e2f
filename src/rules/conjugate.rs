//! Persian compound-verb morphology: every form of «noun + light verb» a news text uses,
//! generated from the light verb's two stems, so rules list nouns, not forms.
//!
//! Spacing is written with a ZWNJ or a space where Persian writers put one; the matcher
//! accepts a ZWNJ, a space or nothing there (see `gazetteers/affixes.tsv`), so «می‌کند»,
//! «می کند» and «میکند» are one form.

use super::format::{Inflection, TriggerForm, VerbSpec};

const PAST_PERSONS: [&str; 6] = ["", "م", "ی", "یم", "ید", "ند"];
const PRESENT_PERSONS: [&str; 6] = ["م", "ی", "د", "یم", "ید", "ند"];
const PERFECT_AUXILIARIES: [&str; 8] = [
    " است",
    "\u{200C}اند",
    "\u{200C}ام",
    "\u{200C}ایم",
    "\u{200C}اید",
    " بود",
    " بودند",
    " باشد",
];
const FUTURE_AUXILIARIES: [&str; 6] = ["خواهم", "خواهی", "خواهد", "خواهیم", "خواهید", "خواهند"];

/// Every form of the verb alone: (form, negated, inflection).
fn verb_forms(verb: &VerbSpec) -> Vec<(String, bool, Inflection)> {
    use Inflection::*;
    let mut forms = Vec::new();
    if verb.copula {
        let indicative = [
            "است",
            "هست",
            "هستند",
            "هستیم",
            "هستم",
            "بود",
            "بودند",
            "بوده است",
            "بوده‌اند",
            "می‌باشد",
            "می‌باشند",
        ];
        let negated = ["نیست", "نیستند", "نبود", "نبودند", "نبوده است", "نمی‌باشد"];
        forms.extend(
            indicative
                .iter()
                .map(|f| (f.to_string(), false, Indicative)),
        );
        forms.extend(negated.iter().map(|f| (f.to_string(), true, Indicative)));
        for (aux, negated) in FUTURE_AUXILIARIES
            .iter()
            .map(|a| (*a, false))
            .chain(FUTURE_AUXILIARIES.iter().map(|a| (*a, true)))
        {
            let prefix = if negated { "ن" } else { "" };
            forms.push((format!("{prefix}{aux} بود"), negated, Future));
        }
        for subj in ["باشد", "باشند"] {
            forms.push((subj.to_string(), false, Subjunctive));
            forms.push((format!("ن{subj}"), true, Subjunctive));
        }
        return forms;
    }
    let (Some(past), Some(present)) = (verb.past.as_deref(), verb.present.as_deref()) else {
        return forms;
    };
    for negated in [false, true] {
        let neg = if negated { "ن" } else { "" };
        for p in PAST_PERSONS {
            forms.push((format!("{neg}{past}{p}"), negated, Indicative));
            // Past progressive: «می‌کرد».
            forms.push((format!("{neg}می\u{200C}{past}{p}"), negated, Indicative));
        }
        for aux in PERFECT_AUXILIARIES {
            forms.push((format!("{neg}{past}ه{aux}"), negated, Indicative));
        }
        for p in PRESENT_PERSONS {
            forms.push((format!("{neg}می\u{200C}{present}{p}"), negated, Indicative));
            forms.push((format!("{neg}{present}{p}"), negated, Subjunctive));
            if !negated {
                forms.push((format!("ب{present}{p}"), false, Subjunctive));
            }
        }
        for aux in FUTURE_AUXILIARIES {
            forms.push((format!("{neg}{aux} {past}"), negated, Future));
        }
    }
    forms
}

/// Every trigger phrase of `noun` with `verb`: «دیدار کرد», «دیدار نکردند», «دیدار خواهد
/// کرد», «دیدار کند», ...
pub fn compound_forms(noun: &str, verb: &VerbSpec) -> Vec<TriggerForm> {
    verb_forms(verb)
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
        let forms = compound_forms("دیدار", &kardan());
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
        let forms = compound_forms("پایبند", &copula);
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
