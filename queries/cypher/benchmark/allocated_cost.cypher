// name: allocated_cost
// description: The benchmark's cost allocation: each contract's annual value split equally over the systems it covers, then over each system's capabilities, for the organisation running the system; a system no valued contract covers counts its own annual_cost split over its capabilities (contract empty).
// mode: read
// returns: organisation, capability, system, contract, currency, annual_cost
MATCH (s:System)-[:SUPPORTS]->(c:Capability)
WITH s, collect(c.id) AS capabilities
OPTIONAL MATCH (k:Contract)-[:COVERS]->(s)
WHERE k.annual_value IS NOT NULL
WITH s, capabilities, k, CASE WHEN k IS NULL THEN 0 ELSE COUNT { (k)-[:COVERS]->(:System) } END AS covered
WITH s, capabilities,
     collect(CASE WHEN k IS NULL THEN null
                  ELSE {contract: k.id, currency: k.currency, amount: toFloat(k.annual_value) / covered} END) AS paid
WITH s, capabilities,
     CASE WHEN size(paid) > 0 THEN paid
          WHEN s.annual_cost IS NOT NULL THEN [{contract: '', currency: s.currency, amount: toFloat(s.annual_cost)}]
          ELSE [] END AS lines
UNWIND capabilities AS capability
UNWIND lines AS line
RETURN s.organisation AS organisation, capability, s.id AS system, line.contract AS contract,
       line.currency AS currency, line.amount / size(capabilities) AS annual_cost
ORDER BY organisation, capability, system, contract
