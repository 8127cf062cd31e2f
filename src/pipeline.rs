//! The pipeline: the compiled gazetteer and rules, and the stages a document flows through.

use crate::cache::{self, CacheUse, CompiledCache};
use crate::doc::{CharIndex, Document, Extraction};
use crate::gazetteer::{DataError, DataFiles, Entity, Gazetteer, GazetteerBuilder, RuleSet};
use crate::scan::{self, Automaton, AutomatonError, Group, Hits, Phrase};
use crate::select::{self, PhraseHits, SelectScratch, Selection};
use crate::text::{self, Normalized};
use crate::trace::Trace;
use crate::{discover, relate, resolve, Mention};

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data files are invalid (every bad row is listed as `file:line: reason`) or
    /// unreadable.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The automaton could not be built.
    #[error(transparent)]
    Automaton(#[from] AutomatonError),
}

/// Reusable per-thread buffers for [`Pipeline::extract_with`]: a worker that keeps one
/// allocates nothing per document once its buffers are large enough.
#[derive(Debug, Default)]
pub struct Scratch {
    normalized: Normalized,
    hits: Hits,
    select: SelectScratch,
    entities: Selection,
    phrases: PhraseHits,
}

/// The compiled gazetteers and rules: what turns documents into extractions.
///
/// Entity aliases and rule phrases are compiled into one automaton (in two groups), so a
/// document is scanned once.
#[derive(Clone, Debug)]
pub struct Pipeline {
    gazetteer: Gazetteer,
    rules: RuleSet,
    automaton: Automaton,
}

impl Pipeline {
    /// The pipeline of the gazetteers and rules built into the binary.
    pub fn embedded() -> Result<Pipeline, Error> {
        Pipeline::from_files(&DataFiles::embedded(), &[])
    }

    /// A pipeline for `gazetteer` and `rules`.
    pub fn new(gazetteer: Gazetteer, rules: RuleSet) -> Result<Pipeline, Error> {
        let phrases = rules
            .lexicon()
            .texts()
            .iter()
            .enumerate()
            .map(|(i, text)| Phrase {
                text,
                group: Group::Phrase,
                target: i as u32,
                kind: crate::gazetteer::AliasKind::Alias,
                origin: crate::gazetteer::Origin::Gazetteer,
            });
        let automaton = Automaton::new(
            scan::entity_phrases(&gazetteer).chain(phrases),
            gazetteer.morphology(),
        )?;
        Ok(Pipeline {
            gazetteer,
            rules,
            automaton,
        })
    }

    /// A pipeline for the gazetteer and rule files `files`, plus spaCy phrase patterns given
    /// as `(file name, contents)` pairs.
    pub fn from_files(files: &DataFiles, patterns: &[(String, String)]) -> Result<Pipeline, Error> {
        let mut builder = GazetteerBuilder::new();
        builder.add_files(files);
        for (name, text) in patterns {
            builder.add_spacy_patterns(name, text);
        }
        let gazetteer = builder.build()?;
        let rules = RuleSet::from_files(files)?;
        Pipeline::new(gazetteer, rules)
    }

    /// Like [`Pipeline::from_files`], but loads the gazetteer and automaton from `cache` when it
    /// holds them for these very files and this build of newsgraph, and saves them there when
    /// it does not. The rules are small and always read from `files`. A cache that cannot be
    /// read or written never fails the call: the pipeline is built, and [`CacheUse`] says why.
    ///
    /// ```
    /// use newsgraph::{CacheUse, CompiledCache, DataFiles, Document, Pipeline};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let cache = CompiledCache::new(dir.path());
    /// let files = DataFiles::embedded();
    /// let (built, first) = Pipeline::from_files_cached(&files, &[], &cache)?;
    /// assert!(matches!(first, CacheUse::Built { saved: Ok(_), replaced: None }));
    /// let (loaded, second) = Pipeline::from_files_cached(&files, &[], &cache)?;
    /// assert!(matches!(second, CacheUse::Loaded(_)));
    ///
    /// let doc = Document::new("d1", "شی جین پینگ با میگل دیاز-کانل دیدار کرد.");
    /// let (a, b) = (built.extract(&doc), loaded.extract(&doc));
    /// assert_eq!((a.mentions.len(), a.relations.len()), (2, 1));
    /// assert_eq!((a.mentions, a.relations), (b.mentions, b.relations));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_files_cached(
        files: &DataFiles,
        patterns: &[(String, String)],
        cache: &CompiledCache,
    ) -> Result<(Pipeline, CacheUse), Error> {
        let key = cache::key(files, patterns);
        let replaced = match cache.load(key) {
            Ok(Some(parts)) => {
                let pipeline = Pipeline {
                    gazetteer: parts.gazetteer,
                    rules: RuleSet::from_files(files)?,
                    automaton: parts.automaton,
                };
                return Ok((pipeline, CacheUse::Loaded(cache.path(key))));
            }
            Ok(None) => None,
            Err(e) => Some(e),
        };
        let pipeline = Pipeline::from_files(files, patterns)?;
        let saved = cache.save(key, &pipeline.gazetteer, &pipeline.automaton);
        Ok((pipeline, CacheUse::Built { saved, replaced }))
    }

    /// Saves this pipeline's gazetteer and automaton in `cache` as the build of `files` and
    /// `patterns`, which must be what it was built from (as [`Pipeline::from_files`] takes
    /// them): [`Pipeline::from_files_cached`] then loads it. Returns the file written.
    pub fn save_cached(
        &self,
        files: &DataFiles,
        patterns: &[(String, String)],
        cache: &CompiledCache,
    ) -> Result<std::path::PathBuf, crate::CacheError> {
        cache.save(
            cache::key(files, patterns),
            &self.gazetteer,
            &self.automaton,
        )
    }

    /// The rules the pipeline applies.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The gazetteer the pipeline matches.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The entity a mention of `extraction` names: a gazetteer entity, or one discovered in
    /// that document.
    pub fn entity<'a>(&'a self, extraction: &'a Extraction, mention: &Mention) -> &'a Entity {
        extraction.entity(&self.gazetteer, mention.entity)
    }

    /// The number of distinct normalized phrases (aliases and rule phrases) in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.automaton.pattern_count()
    }

    /// Finds the mentions and relations of `doc`.
    pub fn extract(&self, doc: &Document) -> Extraction {
        self.extract_with(doc, &mut Scratch::default())
    }

    /// Like [`Pipeline::extract`], reusing `scratch`'s buffers (one per thread).
    pub fn extract_with(&self, doc: &Document, scratch: &mut Scratch) -> Extraction {
        self.run(doc, scratch, None, &mut NoClock)
    }

    /// Like [`Pipeline::extract`], recording in `trace` why each candidate and rule was kept
    /// or dropped (for `explain`).
    pub(crate) fn extract_traced(&self, doc: &Document, trace: &mut Trace) -> Extraction {
        self.run(doc, &mut Scratch::default(), Some(trace), &mut NoClock)
    }

    /// Like [`Pipeline::extract_with`], adding the CPU time each stage took on this thread to
    /// `times` (for `examples/bench.rs`; CPU time, as the wall clock of a shared machine
    /// counts other people's work).
    #[doc(hidden)]
    pub fn extract_timed(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        times: &mut StageTimes,
    ) -> Extraction {
        let mut clock = Timer {
            times,
            last: thread_cpu_seconds(),
        };
        self.run(doc, scratch, None, &mut clock)
    }

    fn run(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        mut trace: Option<&mut Trace>,
        clock: &mut impl Clock,
    ) -> Extraction {
        let text = doc.text.as_str();
        // normalize → segment
        scratch.normalized.reset(text);
        clock.lap(Stage::Normalize);
        let chars = CharIndex::new(text);
        let mut sentences = text::sentences(text);
        clock.lap(Stage::Segment);
        let mut extraction = Extraction {
            chars: chars.len(),
            ..Extraction::default()
        };
        // scan: one pass of the automaton, entity hits and rule-phrase hits apart.
        let norm = &scratch.normalized;
        // `explain` also reports the lexicon names inside words, which select drops.
        let reach = match trace {
            Some(_) => scan::Reach::Everywhere,
            None => scan::Reach::WordStarts,
        };
        self.automaton.scan(norm, reach, &mut scratch.hits);
        clock.lap(Stage::Scan);
        // select: each group on its own, as a rule phrase may overlap a name («رئیس
        // جمهوری» and «جمهوری خلق چین»).
        select::select(
            &self.automaton,
            norm,
            &scratch.hits.entities,
            &mut scratch.select,
            &mut scratch.entities,
            trace.as_deref_mut(),
        );
        select::select_phrases(
            &self.automaton,
            norm,
            &scratch.hits.phrases,
            &mut scratch.select,
            &mut scratch.phrases,
            trace.as_deref_mut(),
        );
        // A name that holds a sentence mark («Yahoo! Japan») keeps its sentence unbroken:
        // mentions, and the relations read sentence by sentence, never cross a sentence end.
        text::join_across(
            &mut sentences,
            scratch
                .entities
                .spans
                .iter()
                .map(|s| norm.original_range(s.span.clone())),
        );
        clock.lap(Stage::Select);
        // resolve: mentions, the nesting policy, short forms, ambiguity.
        let input = resolve::Input {
            gazetteer: &self.gazetteer,
            doc,
            norm,
            chars: &chars,
            sentences: &sentences,
            rules: &self.rules,
            phrases: &scratch.phrases,
        };
        // discover: names the gazetteer lacks, by their context.
        let known: Vec<(std::ops::Range<usize>, crate::gazetteer::EntityType)> = scratch
            .entities
            .spans
            .iter()
            .filter(|s| !s.nested && !s.short)
            .map(|s| {
                let target = crate::gazetteer::EntityIndex(scratch.entities.targets(s)[0]);
                (
                    norm.original_range(s.span.clone()),
                    self.gazetteer.entity(target).entity_type,
                )
            })
            .collect();
        let found = discover::discover(
            &self.gazetteer,
            text,
            norm,
            &sentences,
            &known,
            trace.as_deref_mut(),
        );
        clock.lap(Stage::Discover);
        resolve::mentions(
            &input,
            &scratch.entities,
            &found,
            &mut extraction,
            trace.as_deref_mut(),
        );
        extraction.sentences = sentences;
        resolve::drop_phrases_inside_names(
            &extraction.mentions,
            &self.rules.lexicon().words,
            &mut scratch.phrases,
            trace.as_deref_mut(),
        );
        clock.lap(Stage::Resolve);
        // relate, with the resolver answering references sentence by sentence.
        relate::relate(
            &self.rules,
            &self.gazetteer,
            doc,
            &chars,
            &scratch.phrases,
            &mut extraction,
            trace,
        );
        clock.lap(Stage::Relate);
        extraction
    }
}

/// The stages of [`Pipeline::extract_timed`], in order.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The skeleton of the text and its map back.
    Normalize,
    /// Sentences and the code-point index.
    Segment,
    /// The automaton pass.
    Scan,
    /// Boundaries, suffixes, overlaps.
    Select,
    /// Discovery patterns.
    Discover,
    /// Mentions.
    Resolve,
    /// Relations (and the references the resolver writes on the way).
    Relate,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 7] = [
        Stage::Normalize,
        Stage::Segment,
        Stage::Scan,
        Stage::Select,
        Stage::Discover,
        Stage::Resolve,
        Stage::Relate,
    ];

    /// The stage's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Normalize => "normalize",
            Stage::Segment => "segment",
            Stage::Scan => "scan",
            Stage::Select => "select",
            Stage::Discover => "discover",
            Stage::Resolve => "resolve",
            Stage::Relate => "relate",
        }
    }
}

/// Seconds spent in each [`Stage`], indexed by the stage's position in [`Stage::ALL`].
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct StageTimes(pub [f64; 7]);

/// Where the stages of an extraction report their end: nothing, except for the benchmark.
trait Clock {
    fn lap(&mut self, stage: Stage);
}

struct NoClock;

impl Clock for NoClock {
    #[inline(always)]
    fn lap(&mut self, _: Stage) {}
}

struct Timer<'a> {
    times: &'a mut StageTimes,
    last: f64,
}

/// The CPU time of the calling thread, in seconds.
#[doc(hidden)]
pub fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to; the clock id is a constant Linux and the
    // BSDs define. On failure `ts` stays zero, which only spoils a benchmark figure.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

impl Clock for Timer<'_> {
    fn lap(&mut self, stage: Stage) {
        let now = thread_cpu_seconds();
        self.times.0[stage as usize] += now - self.last;
        self.last = now;
    }
}
