//! Picks, for every "any one of" requirement, the alternative that adds the least privilege once
//! everything else is granted: exact over all combinations (they are few), deterministic (ties go
//! to the alternative the vendor lists first).

use std::collections::BTreeSet;

use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::platform::dependencies::DependencyTable;
use crate::platform::permissions;

use super::closure::closure_set;
use super::expand::Need;

/// Combinations searched exactly; past this, one requirement at a time (never reached by the
/// shipped catalog, whose largest product is 2^7).
const EXACT_LIMIT: usize = 1 << 14;

/// The privilege one grant gives away, on the scale of `privilege.tsv`.
pub(crate) fn cost(item: &Item) -> u64 {
    match item {
        Item::UserPermission(name) => u64::from(permissions::privilege(name).rank),
        Item::Object(_, access) => match access {
            ObjectAccess::Read => 1,
            ObjectAccess::Create | ObjectAccess::Edit => 2,
            ObjectAccess::Delete => 3,
            ObjectAccess::ViewAll => 6,
            ObjectAccess::ModifyAll => 10,
        },
        Item::Field(_, FieldAccess::Read) => 1,
        Item::Field(_, FieldAccess::Edit) => 2,
        Item::ApexClass(_) | Item::ExternalCredentialPrincipal(_) | Item::CustomMetadataType(_) => 1,
    }
}

pub(crate) fn total_cost(items: &BTreeSet<Item>) -> u64 {
    items.iter().map(cost).sum()
}

fn cost_of(base: &[Item], needs: &[&Need], picks: &[usize], table: &DependencyTable) -> u64 {
    let mut items: Vec<&Item> = base.iter().collect();
    for (need, pick) in needs.iter().zip(picks) {
        items.extend(need.alternatives[*pick].items.iter().map(|(i, _)| i));
    }
    total_cost(&closure_set(items, table))
}

/// The chosen alternative index of every need (needs with one alternative get 0).
pub fn choose(needs: &[Need], table: &DependencyTable) -> Vec<usize> {
    let base: Vec<Item> = needs
        .iter()
        .filter(|n| n.alternatives.len() == 1)
        .flat_map(|n| n.alternatives[0].items.iter().map(|(i, _)| i.clone()))
        .collect();
    let open: Vec<usize> = (0..needs.len()).filter(|i| needs[*i].alternatives.len() > 1).collect();
    let open_needs: Vec<&Need> = open.iter().map(|i| &needs[*i]).collect();
    let mut picks = vec![0; open.len()];
    let combinations = open_needs.iter().try_fold(1usize, |acc, n| acc.checked_mul(n.alternatives.len()));
    if combinations.is_some_and(|c| c <= EXACT_LIMIT) {
        let mut best = (cost_of(&base, &open_needs, &picks, table), picks.clone());
        let mut current = picks.clone();
        // Odometer over all combinations, in lexicographic order, so the first minimum wins.
        'outer: loop {
            let mut position = current.len();
            loop {
                if position == 0 {
                    break 'outer;
                }
                position -= 1;
                current[position] += 1;
                if current[position] < open_needs[position].alternatives.len() {
                    break;
                }
                current[position] = 0;
            }
            let c = cost_of(&base, &open_needs, &current, table);
            if c < best.0 {
                best = (c, current.clone());
            }
        }
        picks = best.1;
    } else {
        for k in 0..open_needs.len() {
            let mut best = (u64::MAX, 0);
            for a in 0..open_needs[k].alternatives.len() {
                picks[k] = a;
                let c = cost_of(&base, &open_needs[..=k], &picks[..=k], table);
                if c < best.0 {
                    best = (c, a);
                }
            }
            picks[k] = best.1;
        }
    }
    let mut chosen = vec![0; needs.len()];
    for (slot, pick) in open.iter().zip(picks) {
        chosen[*slot] = pick;
    }
    chosen
}

/// For `explain`: the privilege each alternative of `needs[index]` would add, the other choices fixed.
pub(crate) fn marginal_costs(needs: &[Need], chosen: &[usize], index: usize, table: &DependencyTable) -> Vec<u64> {
    let others: Vec<&Item> = needs
        .iter()
        .zip(chosen)
        .enumerate()
        .filter(|(i, _)| *i != index)
        .flat_map(|(_, (n, c))| n.alternatives[*c].items.iter().map(|(i, _)| i))
        .collect();
    let without = total_cost(&closure_set(others.iter().copied(), table));
    needs[index]
        .alternatives
        .iter()
        .map(|alt| {
            let with: Vec<&Item> = others.iter().copied().chain(alt.items.iter().map(|(i, _)| i)).collect();
            total_cost(&closure_set(with, table)) - without
        })
        .collect()
}
