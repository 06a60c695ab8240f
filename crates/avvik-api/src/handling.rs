//! The general manager's handling of a case.

use avvik_core::awareness::AwareInput;
use avvik_core::filing::FilingInput;
use avvik_core::handling::{AssessmentInput, DecisionInput, Handling, MeasureInput};
use avvik_core::i18n::Lang;
use avvik_core::subjects::SubjectNoticeInput;
use avvik_core::{CaseDocument, User};
use avvik_documents::guide::FilingGuide;

use crate::{DocumentJson, case_key, operation};

operation! {
    /// The handling of a case: assessment, decisions, measures, approval, comments,
    /// overdue measures and closing blockers.
    GetHandling = "get_handling", signed_in;
    (key: String) -> Handling;
    |r, cx| cx.session()?.handling(case_key(&r.key)?, cx.now)
}

operation! {
    /// Records (or revises) the assessment of risk and consequences.
    SaveAssessment = "save_assessment", signed_in;
    (key: String, assessment: AssessmentInput) -> Handling;
    |r, cx| cx.session()?.save_assessment(case_key(&r.key)?, &r.assessment, cx.now)
}

operation! {
    /// Records the decisions on notifying Datatilsynet and informing the people affected.
    RecordDecision = "record_decision", signed_in;
    (key: String, decision: DecisionInput) -> Handling;
    |r, cx| cx.session()?.record_decision(case_key(&r.key)?, &r.decision, cx.now)
}

operation! {
    /// Adds a measure; the set then needs approval again.
    AddMeasure = "add_measure", signed_in;
    (key: String, measure: MeasureInput) -> Handling;
    |r, cx| cx.session()?.add_measure(case_key(&r.key)?, &r.measure, cx.now)
}

operation! {
    /// Changes measure `number` (its owner only moves it forward).
    UpdateMeasure = "update_measure", signed_in;
    (key: String, number: u32, measure: MeasureInput) -> Handling;
    |r, cx| cx.session()?.update_measure(case_key(&r.key)?, r.number, &r.measure, cx.now)
}

operation! {
    /// Approves the current set of measures.
    ApproveMeasures = "approve_measures", signed_in;
    (key: String) -> Handling;
    |r, cx| cx.session()?.approve_measures(case_key(&r.key)?, cx.now)
}

operation! {
    /// Records when the company became aware of the breach: the start of the clock.
    SetAwareness = "set_awareness", signed_in, wakes;
    (key: String, awareness as "aware": AwareInput) -> Handling;
    |r, cx| cx.session()?.set_awareness(case_key(&r.key)?, &r.awareness, cx.now)
}

operation! {
    /// Corrects the facts of a reported case: the whole document, with a reason.
    CorrectCase = "correct_case", signed_in;
    (key: String, document: DocumentJson => CaseDocument, reason: Option<String>) -> Handling;
    |r, cx| {
        let key = case_key(&r.key)?;
        let draft = r.document.checked(cx.now)?;
        cx.session()?.correct_case(key, &draft, r.reason.as_deref(), cx.now)
    }
}

operation! {
    /// Records a round of informing the people affected (art. 34).
    InformSubjects = "inform_subjects", signed_in;
    (key: String, round as "subjects": SubjectNoticeInput) -> Handling;
    |r, cx| cx.session()?.inform_subjects(case_key(&r.key)?, &r.round, cx.now)
}

operation! {
    /// Records a filing to Datatilsynet (append-only).
    AddFiling = "add_filing", signed_in;
    (key: String, filing: FilingInput) -> Handling;
    |r, cx| cx.session()?.add_filing(case_key(&r.key)?, &r.filing, cx.now)
}

operation! {
    /// Sets a filing's Altinn receipt and/or Datatilsynet's case number, each once.
    SetFilingReceipt = "set_filing_receipt", signed_in;
    (
        key: String,
        number: u32,
        altinn_reference: Option<String>,
        authority_case_number: Option<String>,
    ) -> Handling;
    |r, cx| {
        cx.session()?.set_filing_receipt(
            case_key(&r.key)?,
            r.number,
            r.altinn_reference.as_deref(),
            r.authority_case_number.as_deref(),
            cx.now,
        )
    }
}

operation! {
    /// Closes the case with its lessons learned, when nothing keeps it open.
    CloseCase = "close_case", signed_in;
    (key: String, lessons_learned: String) -> Handling;
    |r, cx| cx.session()?.close_case(case_key(&r.key)?, Some(&r.lessons_learned), cx.now)
}

operation! {
    /// Adds a comment (advice) to a submitted case.
    AddComment = "add_comment", signed_in;
    (key: String, text: String) -> Handling;
    |r, cx| cx.session()?.add_comment(case_key(&r.key)?, Some(&r.text), cx.now)
}

operation! {
    /// The people a measure can be given to.
    People = "people", signed_in;
    () -> Vec<User>;
    |r, cx| cx.session()?.people()
}

operation! {
    /// The filing assistant: where and how to file in Altinn, and the next notice's
    /// answers to copy, as the notice prints them.
    GetFilingGuide = "filing_guide", signed_in;
    (key: String, lang: Lang) -> FilingGuide;
    |r, cx| avvik_documents::guide::filing_guide(cx.session()?, case_key(&r.key)?, r.lang, cx.now)
}
