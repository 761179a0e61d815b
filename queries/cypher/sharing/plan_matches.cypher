// name: plan_matches
// description: Each planned procurement's matches across the whole UK estate, whatever the nation or region: other organisations' plans and contracts for the same capability dated within some months of its expected date, in its currency; a contract is for the capabilities of the systems it covers, or for those it names itself (format v1.1) (queries/suggest/joint_procurement.py plan_matches).
// mode: read
// param months: int  Months either side of the plan's expected date (schedule.window_months)
// param as_of: date  Contracts must end after this date
// returns: plan, organisation, capability, kind, matched
MATCH (o:Organisation)-[:PLANS]->(p:ProcurementPlan)-[:FOR]->(c:Capability)
WITH o, p, c, p.expected - duration({months: $months}) AS earliest, p.expected + duration({months: $months}) AS latest
OPTIONAL MATCH (o2:Organisation)-[:PLANS]->(q:ProcurementPlan)-[:FOR]->(c)
WHERE o2 <> o AND earliest <= q.expected <= latest AND q.currency = p.currency
WITH o, p, c, earliest, latest, collect(DISTINCT q.id) AS plans
OPTIONAL MATCH (k:Contract)
WHERE k.end_date > $as_of AND earliest <= k.end_date <= latest AND k.currency = p.currency
  AND (EXISTS { (k)-[:FOR]->(c) }
       OR (NOT EXISTS { (k)-[:FOR]->(:Capability) } AND EXISTS { (k)-[:COVERS]->(:System)-[:SUPPORTS]->(c) }))
WITH o, p, c, plans, collect(DISTINCT k.id) AS contracts
UNWIND [x IN plans | ['plan', x]] + [x IN contracts | ['contract', x]] AS m
RETURN p.id AS plan, o.id AS organisation, c.id AS capability, m[0] AS kind, m[1] AS matched
ORDER BY plan, capability, kind, matched
