//! Decision records for `explain`: what the select, resolve and relate stages decided and
//! why. The stages take an `Option<&mut Trace>`; with `None` (every normal extraction) they
//! record nothing and allocate nothing, so only `explain` pays for the records.
//!
//! A record holds byte spans of the original text and entity indexes; turning them into
//! words is the `explain` module's job, which comes after the pipeline.

use std::ops::Range;
use std::sync::Arc;

use crate::doc::Modality;
use crate::gazetteer::EntityType;

/// Everything the stages recorded for one document, in the order they decided it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Trace {
    /// Candidate matches of entity names and what became of them.
    pub(crate) candidates: Vec<CandidateNote>,
    /// Rule phrases (triggers, markers) left out because they stand inside a name.
    pub(crate) phrases_in_names: Vec<Range<usize>>,
    /// Rule phrases the select stage dropped (a boundary, an attached suffix, an overlap).
    pub(crate) phrases_dropped: Vec<PhraseNote>,
    /// Rule triggers and titles, fired or not.
    pub(crate) rules: Vec<RuleNote>,
    /// Each sentence's class string, as the discovery patterns read it: each letter with the
    /// word or mark it stands for (original bytes).
    pub(crate) classes: Vec<ClassLetters>,
}

/// A sentence's class letters, each with the original span of its word or mark.
pub(crate) type ClassLetters = Vec<(u8, Range<usize>)>;

/// One decision about one candidate (a span naming one entity).
#[derive(Clone, Debug)]
pub(crate) struct CandidateNote {
    /// Original byte span.
    pub(crate) span: Range<usize>,
    /// The entity the candidate names (a gazetteer index, or a discovered entity's).
    pub(crate) entity: u32,
    pub(crate) decision: Decision,
}

/// Why the select stage dropped a rule phrase: a [`Decision`] about a span whose meanings are
/// rule-lexicon phrases, not entities.
#[derive(Clone, Debug)]
pub(crate) struct PhraseNote {
    /// Original byte span.
    pub(crate) span: Range<usize>,
    /// The lexicon phrases (indexes) that matched there.
    pub(crate) phrases: Vec<u32>,
    pub(crate) decision: Decision,
}

/// What a stage decided about a candidate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Decision {
    /// select: a top-level span.
    Kept,
    /// select: inside the longer span `container`, kept for the nesting policy to decide.
    KeptNested { container: Range<usize> },
    /// select: only short forms name the span; the resolve stage decides.
    ShortPending,
    /// select: the match starts inside a word.
    StartsInsideWord,
    /// select: the match ends inside a word, before an attached suffix (its original byte
    /// span) that does not keep a mention (a demonym «ی», a plural).
    Suffix { suffix: Range<usize> },
    /// select: the match is a demonym (its attached suffix, an original byte span), but no
    /// state noun stands before it («به سبک چینی»).
    DemonymWithoutStateNoun { suffix: Range<usize> },
    /// resolve: a demonym of an entity that is not a country.
    DemonymNotCountry,
    /// select: the match spans a space, ZWNJ or line break its phrase does not allow.
    Separator,
    /// select: the match crosses the longer match `winner`.
    Overlap { winner: Range<usize>, entity: u32 },
    /// select: a shorter name of the same entity inside its longer name.
    SameEntityInside { container: Range<usize> },
    /// select: a short form of this entity where a full name of another stands.
    ShortUnderName,
    /// resolve: a nested name the nesting policy leaves out (one name: a person's, a
    /// country's...).
    NestedInName { outer: EntityType },
    /// resolve: a short form with no full name of its entity before it.
    ShortWithoutName,
    /// resolve: a short form crossing a longer short form.
    ShortOverlap,
    /// resolve: a short form after its full name: a `via: coref` mention.
    ShortKept,
    /// discover: a discovery pattern found the name.
    Discovered { pattern: u16 },
    /// discover: the name crosses one an earlier pattern found in the sentence.
    DiscoveredOverlap { pattern: u16 },
    /// resolve: a discovered name where a known name already stands.
    DiscoveredUnderName,
    /// resolve: a discovered person's last word, later in the document.
    Surname,
    /// resolve: a capital standing for its state.
    CapitalAsState { state: u32 },
    /// resolve: the writer's own country («کشورمان»): the country of the medium at `medium`.
    HomeCountry { medium: Range<usize> },
    /// resolve: a capital after a place word («در تهران»): the city.
    CapitalAsPlace,
    /// resolve: an ambiguous alias; `by` is the span of the country mention that chose.
    Ambiguous {
        candidates: Vec<u32>,
        chosen: u32,
        by: Option<Range<usize>>,
    },
}

/// One trigger occurrence (one rule form of it) or title, and what became of it.
#[derive(Clone, Debug)]
pub(crate) struct RuleNote {
    /// The rule id (a title's id for offices).
    pub(crate) rule: Arc<str>,
    pub(crate) sentence: usize,
    /// The trigger (or title) byte span.
    pub(crate) trigger: Range<usize>,
    pub(crate) outcome: Outcome,
}

/// A relation a rule wrote.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fired {
    pub(crate) subject: u32,
    pub(crate) subject_span: Range<usize>,
    pub(crate) predicate: Arc<str>,
    pub(crate) object: u32,
    pub(crate) object_span: Range<usize>,
    pub(crate) role: Option<String>,
    pub(crate) negated: bool,
    pub(crate) modality: Modality,
}

/// What a rule did at one trigger.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    Fired(Fired),
    /// It fired, and the relation was taken back later.
    Withdrawn {
        fired: Fired,
        reason: Withdrawal,
    },
    NotFired(Vec<Reason>),
    /// A title with a body and no name: the holder it was resolved to, if any.
    TitleWithoutName {
        holder: Option<u32>,
    },
}

/// Why a relation was taken back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Withdrawal {
    /// Countries meet only when no person is named for them.
    PeopleMetForCountries,
}

/// Which argument of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Subject,
    Object,
}

impl Slot {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Slot::Subject => "subject",
            Slot::Object => "object",
        }
    }
}

/// Why a rule whose trigger matched wrote no relation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Reason {
    /// A phrase the rule requires is not in its window.
    RequiredMissing,
    /// Nothing fills the slot in the window.
    Missing { slot: Slot },
    /// Only mentions of other types stand in the slot's window: the first of them.
    WrongType {
        slot: Slot,
        span: Range<usize>,
        found: EntityType,
        wanted: Vec<EntityType>,
    },
    /// The nearest fitting mention is farther from the trigger than the rule allows.
    OutsideReach {
        slot: Slot,
        span: Range<usize>,
        words: usize,
        reach: usize,
    },
    /// A fitting mention stands in the topic of the talks («در خصوص ...»).
    InTopic { slot: Slot, span: Range<usize> },
    /// A fitting mention stands in the window, but not where the slot's marker puts it.
    NotMarked {
        slot: Slot,
        span: Range<usize>,
        markers: Vec<String>,
    },
    /// A pronoun or «دو طرف» with nothing to refer to.
    Unresolved { slot: Slot, span: Range<usize> },
    /// Subject and object are the same entity.
    SameEntity,
    /// A title with no body (a country, party, organization) near it.
    NoBody,
}
