// name: contracts_ending
// description: Contracts ending between two dates, by capability, with the date by which notice is due. A contract counts for the capabilities of the systems it covers (narrowed to its own capabilities when it names them), or, covering none (format v1.1), for the capabilities it names, for its holder.
// mode: read
// param from: date  First day of the window
// param to: date  Last day of the window
// returns: capability, organisation, contract, supplier, end_date, decision_date, annual_value, currency
MATCH (k:Contract)-[:WITH]->(v:Vendor)
WHERE $from <= k.end_date <= $to
CALL {
  WITH k
  MATCH (k)-[:COVERS]->(s:System)-[:SUPPORTS]->(c:Capability)
  WHERE NOT EXISTS { (k)-[:FOR]->(:Capability) } OR EXISTS { (k)-[:FOR]->(c) }
  RETURN c, s.organisation AS organisation
  UNION
  WITH k
  MATCH (k)-[:FOR]->(c:Capability)
  WHERE NOT EXISTS { (k)-[:COVERS]->(:System) }
  RETURN c, k.organisation AS organisation
}
WITH DISTINCT c, k, v, organisation
RETURN c.id AS capability, organisation, k.id AS contract, v.id AS supplier, k.end_date AS end_date,
       k.end_date - duration({months: coalesce(k.notice_months, 0)}) AS decision_date,
       k.annual_value AS annual_value, k.currency AS currency
ORDER BY capability, end_date, organisation, contract
