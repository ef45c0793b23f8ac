//! The content check: every file of `content/` read, every reference resolved, every
//! problem reported with its file and line ([`super::load`] runs it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::markdown::{self, LinkResolver, Reference};
use super::raw;
use super::{
    AreaInfo, Catalog, Choice, CompetenceInfo, Evidence, Framework, L10n, Labels, Lesson,
    LevelInfo, Module, OrderItem, Position, Problem, Question, QuestionBody, Quiz, Severity,
};
use crate::domain::Cohort;

pub(super) const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "svg", "webp"];

pub(super) fn line_at(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// A file being checked: its path (relative) and text.
pub(super) struct Source<'a> {
    pub(super) file: PathBuf,
    pub(super) text: &'a str,
    /// Lines before `text` in the real file (front matter offset).
    pub(super) line_offset: usize,
}

impl<'a> Source<'a> {
    /// A whole file's text (no front matter before it).
    pub(super) fn whole(file: &Path, text: &'a str) -> Source<'a> {
        Source {
            file: file.to_path_buf(),
            text,
            line_offset: 0,
        }
    }

    pub(super) fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        line_at(self.text, spanned.span().start) + self.line_offset
    }
}

pub(super) struct Checker {
    pub(super) dir: PathBuf,
    pub(super) problems: Vec<Problem>,
    /// positions.toml lines of each position's requirements, for the reachability check.
    pub(super) requirement_lines: Vec<Vec<usize>>,
}

/// A lesson link to check once every module is known.
pub(super) struct PendingLink {
    pub(super) file: PathBuf,
    pub(super) line: usize,
    pub(super) module: String,
    pub(super) lesson: String,
}

impl Checker {
    pub(super) fn error(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line,
            message: message.into(),
        });
    }

    pub(super) fn warning(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            severity: Severity::Warning,
            file: file.to_path_buf(),
            line,
            message: message.into(),
        });
    }

    /// Reads a file that must exist; when it does not, `missing` is reported at line 1 of
    /// `report`.
    pub(super) fn read_required(
        &mut self,
        file: &Path,
        report: &Path,
        missing: &str,
    ) -> Option<String> {
        if !self.dir.join(file).exists() {
            self.error(report, 1, missing.to_owned());
            return None;
        }
        self.read(file)
    }

    pub(super) fn read(&mut self, relative: &Path) -> Option<String> {
        match std::fs::read_to_string(self.dir.join(relative)) {
            Ok(text) => Some(text),
            Err(e) => {
                self.error(relative, 1, format!("cannot read this file: {e}"));
                None
            }
        }
    }

    pub(super) fn parse<T: serde::de::DeserializeOwned>(&mut self, src: &Source) -> Option<T> {
        match toml::from_str::<T>(src.text) {
            Ok(value) => Some(value),
            Err(e) => {
                let line =
                    e.span().map(|s| line_at(src.text, s.start)).unwrap_or(1) + src.line_offset;
                let message = e.message().trim().to_owned();
                self.error(
                    &src.file,
                    line,
                    format!("{message} (see content/README.md for the format)"),
                );
                None
            }
        }
    }

    pub(super) fn text(&mut self, src: &Source, text: &Spanned<raw::Text>, what: &str) -> L10n {
        let line = src.line(text);
        let vi = text.get_ref().vi.clone().unwrap_or_default();
        if vi.trim().is_empty() {
            self.error(
                &src.file,
                line,
                format!("{what} has no Vietnamese text: add `vi = \"…\"`"),
            );
        }
        let en = text.get_ref().en.clone().filter(|e| !e.trim().is_empty());
        if en.is_none() {
            self.warning(
                &src.file,
                line,
                format!("{what} has no English text (Vietnamese will be shown)"),
            );
        }
        L10n { vi, en }
    }

    pub(super) fn cohort(&mut self, src: &Source, code: &Spanned<String>) -> Option<Cohort> {
        let cohort = Cohort::parse(code.get_ref());
        if cohort.is_none() {
            self.error(
                &src.file,
                src.line(code),
                format!(
                    "unknown cohort {:?}: use official, volunteer or resident",
                    code.get_ref()
                ),
            );
        }
        cohort
    }

    /// The id of something kept in its own folder: a valid id, equal to the folder's name.
    pub(super) fn folder_id(
        &mut self,
        src: &Source,
        id: &Spanned<String>,
        folder: &str,
        what: &str,
    ) -> String {
        let line = src.line(id);
        if id.get_ref() != folder {
            self.error(
                &src.file,
                line,
                format!("the {what} id must equal its folder name {folder:?}"),
            );
        }
        if !valid_id(id.get_ref()) {
            self.error(&src.file, line, "ids are lower-case words joined by '-'");
        }
        id.get_ref().clone()
    }

    /// The cohorts something is for: at least one, each known.
    pub(super) fn cohorts(
        &mut self,
        src: &Source,
        list: &Spanned<Vec<Spanned<String>>>,
        what: &str,
    ) -> Vec<Cohort> {
        if list.get_ref().is_empty() {
            self.error(
                &src.file,
                src.line(list),
                format!("list at least one cohort the {what} is for"),
            );
        }
        list.get_ref()
            .iter()
            .filter_map(|c| self.cohort(src, c))
            .collect()
    }

    pub(super) fn evidences(
        &mut self,
        src: &Source,
        list: &[raw::Evidence],
        competences: &BTreeSet<String>,
    ) -> Vec<Evidence> {
        let mut out = Vec::new();
        for e in list {
            if !competences.contains(e.competence.get_ref()) {
                self.error(
                    &src.file,
                    src.line(&e.competence),
                    format!(
                        "unknown competence {:?}: use an id from framework.toml",
                        e.competence.get_ref()
                    ),
                );
            }
            if !(1..=8).contains(e.level.get_ref()) {
                self.error(
                    &src.file,
                    src.line(&e.level),
                    "a level is a number from 1 to 8",
                );
            }
            out.push(Evidence {
                competence: e.competence.get_ref().clone(),
                level: *e.level.get_ref(),
            });
        }
        out
    }

    pub(super) fn load(&mut self, labels: &Labels) -> Catalog {
        let framework = self.load_framework();
        let competences: BTreeSet<String> =
            framework.competences.iter().map(|c| c.id.clone()).collect();
        let (positions, position_modules) = self.load_positions(&competences);
        let mut modules = Vec::new();
        let mut pending = Vec::new();
        let mut lesson_ids: HashMap<String, PathBuf> = HashMap::new();
        let modules_dir = self.dir.join("modules");
        let mut folders: Vec<String> = match std::fs::read_dir(&modules_dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => {
                self.error(Path::new("modules"), 1, "there is no modules/ folder");
                Vec::new()
            }
        };
        folders.sort();
        let mut raw_modules = Vec::new();
        for folder in folders {
            if let Some(m) = self.load_module(&folder, &competences, &mut lesson_ids, &mut pending)
            {
                raw_modules.push(m);
            }
        }
        // Links between lessons, now that every lesson is known.
        let known: BTreeMap<String, BTreeSet<String>> = raw_modules
            .iter()
            .map(|m: &LoadedModule| {
                (
                    m.module.id.clone(),
                    m.module.lessons.iter().map(|l| l.id.clone()).collect(),
                )
            })
            .collect();
        for link in pending {
            let exists = known
                .get(&link.module)
                .is_some_and(|lessons| lessons.contains(&link.lesson));
            if !exists {
                self.error(
                    &link.file,
                    link.line,
                    format!(
                        "broken link: there is no lesson {:?} in module {:?}",
                        link.lesson, link.module
                    ),
                );
            }
        }
        for (file, line, module) in position_modules {
            if !known.contains_key(&module) {
                self.error(
                    &file,
                    line,
                    format!("unknown module {module:?} in mandatory_modules"),
                );
            }
        }
        // Render lessons (only meaningful once links are known to resolve).
        for loaded in &mut raw_modules {
            let resolver = Resolver {
                module: loaded.module.id.clone(),
                known: &known,
                assets: loaded.module.assets.clone(),
            };
            for (lesson, (vi_body, en_body)) in loaded.module.lessons.iter_mut().zip(&loaded.bodies)
            {
                lesson.html = L10n {
                    vi: markdown::render(vi_body, &labels.vi, &resolver),
                    en: en_body
                        .as_ref()
                        .map(|body| markdown::render(body, &labels.en, &resolver)),
                };
            }
        }
        modules.extend(raw_modules.into_iter().map(|m| m.module));
        let sandbox = self.load_sandbox(labels, &known, &competences);
        let catalog = Catalog {
            dir: self.dir.clone(),
            framework,
            positions,
            modules,
            sandbox,
        };
        self.check_standards_reachable(&catalog);
        catalog
    }

    pub(super) fn load_framework(&mut self) -> Framework {
        let file = PathBuf::from("framework.toml");
        let Some(text) = self.read(&file) else {
            return Framework::default();
        };
        let src = Source::whole(&file, &text);
        let Some(raw) = self.parse::<raw::Framework>(&src) else {
            return Framework::default();
        };
        let mut framework = Framework::default();
        if let Some(v) = &raw.verification {
            let line = src.line(v);
            let v = v.get_ref();
            if v.min_evidence == 0 {
                self.error(&file, line, "min_evidence is at least 1");
            }
            if !(1..=100).contains(&v.min_percent) {
                self.error(&file, line, "min_percent is a percentage from 1 to 100");
            }
            if v.window_days == 0 {
                self.error(&file, line, "window_days is at least 1");
            }
            framework.rule = crate::domain::competency::Rule {
                min_evidence: v.min_evidence.max(1),
                min_percent: v.min_percent,
                window_days: v.window_days.max(1),
            };
        }
        let mut seen_levels = BTreeSet::new();
        for level in &raw.levels {
            let n = *level.level.get_ref();
            let line = src.line(&level.level);
            if !(1..=8).contains(&n) {
                self.error(&file, line, "levels are numbered 1 to 8");
            } else if !seen_levels.insert(n) {
                self.error(&file, line, format!("level {n} is defined twice"));
            }
            let band = match n {
                1 | 2 => "foundation",
                3 | 4 => "intermediate",
                5 | 6 => "advanced",
                _ => "highly_specialised",
            };
            if level.band.get_ref() != band {
                self.error(
                    &file,
                    src.line(&level.band),
                    format!("level {n} belongs to band {band:?}"),
                );
            }
            framework.levels.push(LevelInfo {
                level: n,
                band: band.to_owned(),
                name: self.text(&src, &level.name, "the level's name"),
                descriptor: self.text(&src, &level.descriptor, "the level's descriptor"),
            });
        }
        for missing in (1..=8u8).filter(|n| !seen_levels.contains(n)) {
            self.error(
                &file,
                1,
                format!("level {missing} is missing: the framework has 8 levels"),
            );
        }
        let mut areas = BTreeSet::new();
        for area in &raw.areas {
            if !areas.insert(area.id.get_ref().clone()) {
                self.error(
                    &file,
                    src.line(&area.id),
                    format!("duplicate area id {:?}", area.id.get_ref()),
                );
            }
            framework.areas.push(AreaInfo {
                id: area.id.get_ref().clone(),
                name: self.text(&src, &area.name, "the area's name"),
            });
        }
        let mut ids = BTreeSet::new();
        for c in &raw.competences {
            let line = src.line(&c.id);
            if !ids.insert(c.id.get_ref().clone()) {
                self.error(
                    &file,
                    line,
                    format!("duplicate competence id {:?}", c.id.get_ref()),
                );
            }
            if !areas.contains(c.area.get_ref()) {
                self.error(
                    &file,
                    src.line(&c.area),
                    format!("unknown area {:?}", c.area.get_ref()),
                );
            }
            for module in &c.tt03 {
                let ok = matches!(
                    module.get_ref().as_str(),
                    "IU01" | "IU02" | "IU03" | "IU04" | "IU05" | "IU06"
                );
                if !ok {
                    self.error(
                        &file,
                        src.line(module),
                        "tt03 lists Circular 03/2014 basic modules IU01 to IU06",
                    );
                }
            }
            framework.competences.push(CompetenceInfo {
                id: c.id.get_ref().clone(),
                area: c.area.get_ref().clone(),
                name: self.text(&src, &c.name, "the competence's name"),
                description: self.text(&src, &c.description, "the competence's description"),
                digcomp: c.digcomp.clone(),
                qd757: c.qd757.clone(),
                tt03: c.tt03.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
        framework
    }

    #[allow(clippy::type_complexity)]
    pub(super) fn load_positions(
        &mut self,
        competences: &BTreeSet<String>,
    ) -> (Vec<Position>, Vec<(PathBuf, usize, String)>) {
        let file = PathBuf::from("positions.toml");
        let Some(text) = self.read(&file) else {
            return (Vec::new(), Vec::new());
        };
        let src = Source::whole(&file, &text);
        let Some(raw) = self.parse::<raw::Positions>(&src) else {
            return (Vec::new(), Vec::new());
        };
        let mut positions = Vec::new();
        let mut module_refs = Vec::new();
        let mut ids = BTreeSet::new();
        let mut requirement_lines: Vec<Vec<usize>> = Vec::new();
        for p in &raw.positions {
            if !valid_id(p.id.get_ref()) {
                self.error(
                    &file,
                    src.line(&p.id),
                    "ids are lower-case words joined by '-'",
                );
            }
            if !ids.insert(p.id.get_ref().clone()) {
                self.error(
                    &file,
                    src.line(&p.id),
                    format!("duplicate position id {:?}", p.id.get_ref()),
                );
            }
            let cohort = self.cohort(&src, &p.cohort).unwrap_or(Cohort::Official);
            for m in &p.mandatory_modules {
                module_refs.push((file.clone(), src.line(m), m.get_ref().clone()));
            }
            requirement_lines.push(p.requires.iter().map(|r| src.line(&r.competence)).collect());
            positions.push(Position {
                id: p.id.get_ref().clone(),
                cohort,
                name: self.text(&src, &p.name, "the position's name"),
                default: p.default,
                leadership: p.leadership,
                mandatory_modules: p
                    .mandatory_modules
                    .iter()
                    .map(|m| m.get_ref().clone())
                    .collect(),
                requires: self.evidences(&src, &p.requires, competences),
            });
        }
        for cohort in Cohort::ALL {
            let defaults = positions
                .iter()
                .filter(|p| p.cohort == cohort && p.default)
                .count();
            if defaults != 1 {
                self.error(
                    &file,
                    1,
                    format!(
                        "cohort {:?} needs exactly one position with `default = true` (found {defaults})",
                        cohort.as_str()
                    ),
                );
            }
        }
        self.requirement_lines = requirement_lines;
        (positions, module_refs)
    }

    /// Every level a position requires must be reachable: enough different quizzes and
    /// procedures open to the position's cohort must evidence it, or nobody could meet the
    /// standard.
    pub(super) fn check_standards_reachable(&mut self, catalog: &Catalog) {
        let file = PathBuf::from("positions.toml");
        let sources = catalog.evidence_sources();
        let need = catalog.framework.rule.min_evidence as usize;
        let lines = std::mem::take(&mut self.requirement_lines);
        for (position, lines) in catalog.positions.iter().zip(&lines) {
            for (req, line) in position.requires.iter().zip(lines) {
                let found = sources
                    .iter()
                    .filter(|s| s.cohorts.contains(&position.cohort))
                    .filter(|s| s.level_for(&req.competence).is_some_and(|l| l >= req.level))
                    .count();
                if found < need {
                    self.error(
                        &file,
                        *line,
                        format!(
                            "position {:?} requires {} at level {}, but only {found} quiz(zes) or procedure(s) open to {:?} evidence it at that level and the rule needs {need}: nobody could meet this standard",
                            position.id,
                            req.competence,
                            req.level,
                            position.cohort.as_str()
                        ),
                    );
                }
            }
        }
    }

    pub(super) fn load_module(
        &mut self,
        folder: &str,
        competences: &BTreeSet<String>,
        lesson_ids: &mut HashMap<String, PathBuf>,
        pending: &mut Vec<PendingLink>,
    ) -> Option<LoadedModule> {
        let base = PathBuf::from("modules").join(folder);
        let file = base.join("module.toml");
        let text = self.read_required(&file, &file, "every module folder needs a module.toml")?;
        let src = Source::whole(&file, &text);
        let raw: raw::Module = self.parse(&src)?;
        let id = self.folder_id(&src, &raw.id, folder, "module");
        let cohorts = self.cohorts(&src, &raw.cohorts, "module");
        let mut mandatory_for = Vec::new();
        for c in &raw.mandatory_for {
            if let Some(cohort) = self.cohort(&src, c) {
                if !cohorts.contains(&cohort) {
                    self.error(
                        &file,
                        src.line(c),
                        format!(
                            "mandatory for {:?}, but that cohort is not in cohorts",
                            c.get_ref()
                        ),
                    );
                }
                mandatory_for.push(cohort);
            }
        }
        let title = self.text(&src, &raw.title, "the module's title");
        let summary = self.text(&src, &raw.summary, "the module's summary");

        let assets = self.list_assets(&base);
        let listed: Vec<(String, usize)> = raw
            .lessons
            .get_ref()
            .iter()
            .map(|l| (l.get_ref().clone(), src.line(l)))
            .collect();
        if listed.is_empty() {
            self.error(
                &file,
                src.line(&raw.lessons),
                "a module needs at least one lesson",
            );
        }
        // Lesson files that are not listed cannot be reached.
        if let Ok(entries) = std::fs::read_dir(self.dir.join(&base)) {
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect();
            names.sort();
            for name in names {
                let stem = name
                    .strip_suffix(".vi.md")
                    .or_else(|| name.strip_suffix(".en.md"));
                match stem {
                    Some(stem) if listed.iter().any(|(l, _)| l == stem) => {}
                    Some(stem) => self.error(
                        &base.join(&name),
                        1,
                        format!("lesson {stem:?} is not listed in module.toml's lessons, so no one can reach it"),
                    ),
                    None => self.error(
                        &base.join(&name),
                        1,
                        "lesson files are named <lesson-id>.vi.md or <lesson-id>.en.md",
                    ),
                }
            }
        }

        let mut lessons = Vec::new();
        let mut bodies = Vec::new();
        for (lesson_id, line) in &listed {
            if !valid_id(lesson_id) {
                self.error(&file, *line, "ids are lower-case words joined by '-'");
            }
            if let Some(first) = lesson_ids.get(lesson_id) {
                self.error(
                    &file,
                    *line,
                    format!(
                        "lesson id {lesson_id:?} is already used in {}",
                        first.display()
                    ),
                );
                continue;
            }
            lesson_ids.insert(lesson_id.clone(), file.clone());
            let vi_file = base.join(format!("{lesson_id}.vi.md"));
            if !self.dir.join(&vi_file).exists() {
                self.error(
                    &file,
                    *line,
                    format!(
                        "lesson {lesson_id:?} has no Vietnamese file {}",
                        vi_file.display()
                    ),
                );
                continue;
            }
            let Some(vi_text) = self.read(&vi_file) else {
                continue;
            };
            let Some((front, body, body_line)) = self.split_front_matter(&vi_file, &vi_text) else {
                continue;
            };
            let front_src = Source {
                file: vi_file.clone(),
                text: front,
                line_offset: 1,
            };
            let Some(meta) = self.parse::<raw::LessonFront>(&front_src) else {
                continue;
            };
            if meta.id.get_ref() != lesson_id {
                self.error(
                    &vi_file,
                    front_src.line(&meta.id),
                    format!("the lesson id must equal the file name {lesson_id:?}"),
                );
            }
            if meta.title.get_ref().trim().is_empty() {
                self.error(
                    &vi_file,
                    front_src.line(&meta.title),
                    "the lesson has no Vietnamese title",
                );
            }
            if !(1..=120).contains(meta.minutes.get_ref()) {
                self.error(
                    &vi_file,
                    front_src.line(&meta.minutes),
                    "minutes is the reading time, 1 to 120",
                );
            }
            let evidences = self.evidences(&front_src, &meta.evidences, competences);
            let lesson_cohorts = match &meta.cohorts {
                Some(list) => {
                    let mut out = Vec::new();
                    for c in list {
                        if let Some(cohort) = self.cohort(&front_src, c) {
                            if !cohorts.contains(&cohort) {
                                self.error(
                                    &vi_file,
                                    front_src.line(c),
                                    "a lesson's cohorts must be among its module's",
                                );
                            }
                            out.push(cohort);
                        }
                    }
                    out
                }
                None => cohorts.clone(),
            };
            self.check_body(&vi_file, body, body_line, folder, &assets, pending);

            let en_file = base.join(format!("{lesson_id}.en.md"));
            let (en_title, en_body) = if self.dir.join(&en_file).exists() {
                match self.read(&en_file) {
                    Some(en_text) => match self.split_front_matter(&en_file, &en_text) {
                        Some((front, body, body_line)) => {
                            let src = Source {
                                file: en_file.clone(),
                                text: front,
                                line_offset: 1,
                            };
                            let title = self
                                .parse::<raw::LessonFrontTranslation>(&src)
                                .map(|t| t.title.get_ref().clone());
                            self.check_body(&en_file, body, body_line, folder, &assets, pending);
                            (title, Some(body.to_owned()))
                        }
                        None => (None, None),
                    },
                    None => (None, None),
                }
            } else {
                self.warning(
                    &vi_file,
                    1,
                    format!("no English version ({} is missing)", en_file.display()),
                );
                (None, None)
            };
            lessons.push(Lesson {
                id: lesson_id.clone(),
                title: L10n {
                    vi: meta.title.get_ref().clone(),
                    en: en_title,
                },
                minutes: *meta.minutes.get_ref(),
                version: meta.version,
                evidences,
                cohorts: lesson_cohorts,
                html: L10n::default(),
            });
            bodies.push((body.to_owned(), en_body));
        }

        let quiz = self.load_quiz(&base, &lessons, competences)?;
        Some(LoadedModule {
            module: Module {
                id,
                version: raw.version,
                title,
                summary,
                cohorts,
                mandatory_for,
                lessons,
                quiz,
                assets,
            },
            bodies,
        })
    }

    pub(super) fn list_assets(&mut self, base: &Path) -> BTreeSet<String> {
        let dir = self.dir.join(base).join("assets");
        let mut assets = BTreeSet::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ext = name
                    .rsplit('.')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if IMAGE_EXTENSIONS.contains(&ext.as_str()) && entry.path().is_file() {
                    assets.insert(name);
                } else {
                    self.warning(
                        &base.join("assets").join(&name),
                        1,
                        "only PNG, JPEG, SVG and WebP images are served from assets/",
                    );
                }
            }
        }
        assets
    }

    /// Splits `+++` front matter from the body: (front, body, line where the body starts).
    pub(super) fn split_front_matter<'a>(
        &mut self,
        file: &Path,
        text: &'a str,
    ) -> Option<(&'a str, &'a str, usize)> {
        let rest = text
            .strip_prefix("+++\n")
            .or_else(|| text.strip_prefix("+++\r\n"));
        let Some(rest) = rest else {
            self.error(
                file,
                1,
                "a lesson starts with front matter: a line +++, TOML, then +++",
            );
            return None;
        };
        let end = rest
            .match_indices("+++")
            .find(|(i, _)| *i == 0 || rest.as_bytes()[i - 1] == b'\n')
            .map(|(i, _)| i);
        let Some(end) = end else {
            self.error(file, 1, "the front matter is not closed by a +++ line");
            return None;
        };
        let front = &rest[..end];
        let after = &rest[end + 3..];
        let body = after
            .strip_prefix('\n')
            .or_else(|| after.strip_prefix("\r\n"))
            .unwrap_or(after);
        let body_line = front.matches('\n').count() + 3;
        Some((front, body, body_line))
    }

    pub(super) fn check_body(
        &mut self,
        file: &Path,
        body: &str,
        body_line: usize,
        module: &str,
        assets: &BTreeSet<String>,
        pending: &mut Vec<PendingLink>,
    ) {
        if body.trim().is_empty() {
            self.error(file, body_line, "the lesson has no text");
        }
        for line in markdown::raw_html_lines(body) {
            self.error(
                file,
                body_line + line - 1,
                "raw HTML is not allowed in lessons: write Markdown instead",
            );
        }
        for reference in markdown::references(body) {
            match reference {
                Reference::Link { target, line } => {
                    let line = body_line + line - 1;
                    if !markdown::allowed_scheme(&target) {
                        self.error(file, line, format!("link to {target:?}: only https, http, mailto, tel or relative links are allowed"));
                        continue;
                    }
                    let lower = target.to_ascii_lowercase();
                    if lower.starts_with("https:")
                        || lower.starts_with("http:")
                        || lower.starts_with("mailto:")
                        || lower.starts_with("tel:")
                        || target.starts_with('#')
                    {
                        continue;
                    }
                    match lesson_target(module, &target) {
                        Some((m, l)) => pending.push(PendingLink {
                            file: file.to_path_buf(),
                            line,
                            module: m,
                            lesson: l,
                        }),
                        None => self.error(file, line, format!("link {target:?}: link to a lesson as other-lesson.md or ../module/lesson.md")),
                    }
                }
                Reference::Image { target, line } => {
                    let line = body_line + line - 1;
                    match target.strip_prefix("assets/") {
                        Some(name) if assets.contains(name) => {}
                        Some(_) => self.error(file, line, format!("image {target:?} does not exist in this module's assets/")),
                        None => self.error(file, line, format!("image {target:?}: images must be files in the module's assets/ folder")),
                    }
                }
            }
        }
    }

    pub(super) fn load_quiz(
        &mut self,
        base: &Path,
        lessons: &[Lesson],
        competences: &BTreeSet<String>,
    ) -> Option<Quiz> {
        let file = base.join("quiz.toml");
        let text = self.read_required(
            &file,
            &base.join("module.toml"),
            "the module has no quiz.toml",
        )?;
        let src = Source::whole(&file, &text);
        let raw: raw::Quiz = self.parse(&src)?;
        if !(1..=100).contains(raw.pass_mark.get_ref()) {
            self.error(
                &file,
                src.line(&raw.pass_mark),
                "pass_mark is a percentage from 1 to 100",
            );
        }
        let evidences = self.evidences(&src, &raw.evidences, competences);
        if raw.questions.get_ref().is_empty() {
            self.error(
                &file,
                src.line(&raw.questions),
                "a quiz needs at least one question",
            );
        }
        let mut ids = BTreeSet::new();
        let mut questions = Vec::new();
        for q in raw.questions.get_ref() {
            let line = src.line(&q.id);
            if !ids.insert(q.id.get_ref().clone()) {
                self.error(
                    &file,
                    line,
                    format!("duplicate question id {:?}", q.id.get_ref()),
                );
            }
            if !lessons.iter().any(|l| &l.id == q.lesson.get_ref()) {
                self.error(
                    &file,
                    src.line(&q.lesson),
                    format!(
                        "question {:?} points to lesson {:?}, which is not in this module",
                        q.id.get_ref(),
                        q.lesson.get_ref()
                    ),
                );
            }
            let prompt = self.text(&src, &q.prompt, "the question's prompt");
            let feedback = q
                .feedback
                .as_ref()
                .map(|f| self.text(&src, f, "the question's feedback"));
            let kind = q.kind.get_ref().as_str();
            let body = match kind {
                "single" | "multiple" => {
                    if q.options.len() < 2 {
                        self.error(
                            &file,
                            line,
                            format!("question {:?} needs at least two options", q.id.get_ref()),
                        );
                    }
                    let mut option_ids = BTreeSet::new();
                    let mut choices = Vec::new();
                    for o in &q.options {
                        if !option_ids.insert(o.id.get_ref().clone()) {
                            self.error(
                                &file,
                                src.line(&o.id),
                                format!("duplicate option id {:?}", o.id.get_ref()),
                            );
                        }
                        let text = self.text(&src, &o.text, "the option's text");
                        let feedback = o
                            .feedback
                            .as_ref()
                            .map(|f| self.text(&src, f, "the option's feedback"));
                        if feedback.is_none() {
                            self.warning(
                                &file,
                                src.line(&o.id),
                                "this option has no feedback explaining why it is right or wrong",
                            );
                        }
                        choices.push(Choice {
                            id: o.id.get_ref().clone(),
                            text,
                            correct: o.correct,
                            feedback,
                        });
                    }
                    let right = choices.iter().filter(|c| c.correct).count();
                    if right == 0 {
                        self.error(&file, line, format!("question {:?} has no correct answer: mark one option `correct = true`", q.id.get_ref()));
                    }
                    if kind == "single" && right > 1 {
                        self.error(&file, line, format!("question {:?} has {right} correct options: use kind = \"multiple\" or mark only one", q.id.get_ref()));
                    }
                    if q.answer.is_some() || !q.items.is_empty() {
                        self.error(
                            &file,
                            line,
                            "a choice question has options, not `answer` or `items`",
                        );
                    }
                    if kind == "single" {
                        QuestionBody::Single(choices)
                    } else {
                        QuestionBody::Multiple(choices)
                    }
                }
                "true_false" => {
                    if !q.options.is_empty() || !q.items.is_empty() {
                        self.error(
                            &file,
                            line,
                            "a true_false question has `answer = true|false`, not options or items",
                        );
                    }
                    match q.answer {
                        Some(answer) => QuestionBody::TrueFalse(answer),
                        None => {
                            self.error(&file, line, format!("question {:?} has no correct answer: add `answer = true` or `answer = false`", q.id.get_ref()));
                            QuestionBody::TrueFalse(true)
                        }
                    }
                }
                "ordering" => {
                    if q.items.len() < 2 {
                        self.error(
                            &file,
                            line,
                            format!(
                                "ordering question {:?} needs at least two items",
                                q.id.get_ref()
                            ),
                        );
                    }
                    if !q.options.is_empty() || q.answer.is_some() {
                        self.error(
                            &file,
                            line,
                            "an ordering question has `items`, not options or `answer`",
                        );
                    }
                    let mut item_ids = BTreeSet::new();
                    let mut items = Vec::new();
                    for item in &q.items {
                        if !item_ids.insert(item.id.get_ref().clone()) {
                            self.error(
                                &file,
                                src.line(&item.id),
                                format!("duplicate item id {:?}", item.id.get_ref()),
                            );
                        }
                        items.push(OrderItem {
                            id: item.id.get_ref().clone(),
                            text: self.text(&src, &item.text, "the item's text"),
                        });
                    }
                    QuestionBody::Ordering(items)
                }
                other => {
                    self.error(&file, src.line(&q.kind), format!("unknown question kind {other:?}: use single, multiple, true_false or ordering"));
                    continue;
                }
            };
            questions.push(Question {
                id: q.id.get_ref().clone(),
                lesson: q.lesson.get_ref().clone(),
                prompt,
                body,
                feedback,
            });
        }
        Some(Quiz {
            id: raw.id.get_ref().clone(),
            version: raw.version,
            pass_mark: *raw.pass_mark.get_ref(),
            evidences,
            questions,
        })
    }
}

pub(super) struct LoadedModule {
    pub(super) module: Module,
    /// Markdown bodies per lesson: (Vietnamese, English).
    pub(super) bodies: Vec<(String, Option<String>)>,
}

/// `other.md`, `other.md#part` or `../module/other.md` → (module, lesson).
pub(super) fn lesson_target(module: &str, target: &str) -> Option<(String, String)> {
    let path = target.split('#').next()?;
    let stem = path.strip_suffix(".md")?;
    match stem.strip_prefix("../") {
        Some(rest) => {
            let (m, l) = rest.split_once('/')?;
            (!l.contains('/')).then(|| (m.to_owned(), l.to_owned()))
        }
        None => (!stem.contains('/')).then(|| (module.to_owned(), stem.to_owned())),
    }
}

pub(super) struct Resolver<'a> {
    pub(super) module: String,
    pub(super) known: &'a BTreeMap<String, BTreeSet<String>>,
    pub(super) assets: BTreeSet<String>,
}

impl LinkResolver for Resolver<'_> {
    fn lesson(&self, target: &str) -> Option<String> {
        let (module, lesson) = lesson_target(&self.module, target)?;
        let fragment = target
            .split_once('#')
            .map(|(_, f)| format!("#{f}"))
            .unwrap_or_default();
        self.known
            .get(&module)?
            .contains(&lesson)
            .then(|| format!("/learn/{module}/{lesson}{fragment}"))
    }

    fn asset(&self, target: &str) -> Option<String> {
        let name = target.strip_prefix("assets/")?;
        self.assets
            .contains(name)
            .then(|| format!("/content/{}/assets/{name}", self.module))
    }
}
