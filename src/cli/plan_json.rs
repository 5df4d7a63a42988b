//! A `Plan` as `--json` prints it (inside `gen`'s and `explain`'s results): the library's data as
//! serde gives it, with everything that is worded — warnings, note messages, reasons, the
//! contexts of choices — in the CLI's words (`warnings`, `reasons`).

use sfperms::solver::Plan;

use super::warnings;

/// `plan` as JSON, its warnings and notes' messages as printed (the form `--json` has always had).
pub fn json(plan: &Plan) -> serde_json::Value {
    let mut value = serde_json::to_value(plan).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("warnings".into(), serde_json::json!(warnings::texts(plan)));
        object.insert("grants".into(), grants_json(plan));
        object.insert("choices".into(), choices_json(plan));
        if let Some(notes) = object.get_mut("notes").and_then(|n| n.as_array_mut()) {
            for (json, note) in notes.iter_mut().zip(&plan.notes) {
                if let Some(fields) = json.as_object_mut() {
                    fields.insert("message".into(), serde_json::json!(warnings::note_text(&note.message)));
                }
            }
        }
    }
    value
}

/// The grants as `--json` lists them: kind, name, access (objects and fields) and the reasons.
fn grants_json(plan: &Plan) -> serde_json::Value {
    let listed = plan.grants.iter().map(|(item, reasons)| {
        let mut value = serde_json::json!({
            "kind": item.kind(), "name": item.name(),
            "reasons": reasons.iter().map(super::reasons::json).collect::<Vec<_>>(),
        });
        if let Some(access) = item.access_word() {
            value["access"] = serde_json::json!(access);
        }
        value
    });
    listed.collect()
}

/// The choices among alternatives as `--json` lists them, each context worded.
fn choices_json(plan: &Plan) -> serde_json::Value {
    let listed = plan.choices.iter().map(|choice| {
        serde_json::json!({
            "quote": choice.quote, "context": super::reasons::context(&choice.context),
            "alternatives": choice.alternatives, "chosen": choice.chosen, "why": choice.why,
        })
    });
    listed.collect()
}
