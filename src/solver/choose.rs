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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Quote;
    use crate::solver::expand::Alternative;
    use crate::solver::{Context, Reason};

    /// A need whose alternatives grant these Apex classes (one privilege point each, no
    /// dependencies), or these items.
    fn need(alternatives: &[&[&str]]) -> Need {
        need_of(alternatives.iter().map(|classes| classes.iter().map(|c| Item::ApexClass(c.to_string())).collect()))
    }

    fn need_of(alternatives: impl IntoIterator<Item = Vec<Item>>) -> Need {
        let quote = Quote(vec!["q".to_string()]);
        let reason = Reason::Requirement { context: Context::Always, quote: quote.clone(), via: None, asked: None };
        let alternatives = alternatives
            .into_iter()
            .map(|items| Alternative {
                items: items.into_iter().map(|i| (i, reason.clone())).collect(),
                ..Alternative::default()
            })
            .collect();
        Need { quote, context: Context::Always, alternatives }
    }

    fn table() -> DependencyTable {
        DependencyTable::empty("none (a test)")
    }

    /// Ties go to the alternative the vendor lists first; a cheaper one listed later wins.
    #[test]
    fn the_cheapest_alternative_wins_and_ties_go_to_the_first_listed() {
        assert_eq!(choose(&[need(&[&["A"], &["B"]])], &table()), [0]);
        assert_eq!(choose(&[need(&[&["A", "B"], &["C"], &["D"]])], &table()), [1]);
    }

    /// What is granted anyway (needs with one alternative) costs nothing more: an alternative
    /// made of it wins over a smaller one that adds something. Needs with one alternative get 0.
    #[test]
    fn what_is_granted_anyway_adds_no_privilege() {
        let needs = [need(&[&["X", "Y"]]), need(&[&["Z"], &["X", "Y"]])];
        assert_eq!(choose(&needs, &table()), [0, 1]);
    }

    /// The least privilege of all choices together, not of each alone: two needs met by the same
    /// grants take them, though one of them has a smaller alternative on its own.
    #[test]
    fn the_cheapest_combination_wins_over_the_cheapest_choice_of_each() {
        let needs = [need(&[&["A"], &["B", "C"]]), need(&[&["B", "C"], &["E", "F", "G"]])];
        assert_eq!(choose(&needs, &table()), [1, 0]);
    }

    /// Privilege is weighed on the scale of `privilege.tsv` and the object access ladder, not by
    /// counting grants: six objects' Read are less than one object's Modify All (which brings
    /// Read, Edit, Delete and View All with it).
    #[test]
    fn privilege_is_weighed_not_counted() {
        let read = |o: &str| Item::Object(o.to_string(), ObjectAccess::Read);
        let modify_all = vec![Item::Object("Account".to_string(), ObjectAccess::ModifyAll)];
        let reads: Vec<Item> = ["A", "B", "C", "D", "E", "F"].into_iter().map(read).collect();
        assert_eq!(choose(&[need_of([modify_all, reads])], &table()), [1]);
    }

    /// Past `EXACT_LIMIT` combinations the needs are taken one at a time, each the cheapest
    /// given those before it (ties to the first listed): the combination above is then missed.
    #[test]
    fn past_the_exact_limit_each_need_takes_its_cheapest_given_the_ones_before() {
        let mut needs = vec![need(&[&["A"], &["B", "C"]]), need(&[&["B", "C"], &["E", "F", "G"]])];
        let names: Vec<[String; 2]> = (0..14).map(|i| [format!("P{i}"), format!("Q{i}")]).collect();
        for (i, [p, q]) in names.iter().enumerate() {
            let (small, large): (&[&str], &[&str]) = (&[p.as_str()], &[p.as_str(), q.as_str()]);
            needs.push(match i % 3 {
                0 => need(&[small, large]),
                1 => need(&[large, small]),
                _ => need(&[small, &[q.as_str()]]),
            });
        }
        assert!(2usize.pow(needs.len() as u32) > EXACT_LIMIT);
        let expected: Vec<usize> = [0, 0].into_iter().chain((0..14).map(|i| usize::from(i % 3 == 1))).collect();
        assert_eq!(choose(&needs, &table()), expected);
    }

    /// `explain`'s figures: what each alternative of one need adds to everything the other needs
    /// were given (its own current choice left out).
    #[test]
    fn an_alternatives_cost_is_what_it_adds_to_the_other_choices() {
        let needs = [need(&[&["A"]]), need(&[&["B"], &["A"], &["C", "D"]])];
        assert_eq!(marginal_costs(&needs, &[0, 0], 1, &table()), [1, 0, 2]);
    }
}
