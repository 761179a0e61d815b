// name: allocated_cost
// description: The benchmark's cost allocation: each contract's annual value split equally over the systems it covers, then over each system's capabilities, for the organisation running the system (a contract that names its capabilities pays for those alone: over the covered systems supporting one, then over those each supports); a contract covering no system (format v1.1) splits its value over the capabilities it names, for its holder (system empty); a system no valued contract pays for counts its own annual_cost split over its capabilities (contract empty).
// mode: read
// returns: organisation, capability, system, contract, currency, annual_cost
CALL {
  MATCH (s:System)-[:SUPPORTS]->(c:Capability)
  WITH s, collect(c.id) AS capabilities
  OPTIONAL MATCH (k:Contract)-[:COVERS]->(s)
  WHERE k.annual_value IS NOT NULL
  WITH s, capabilities, k, COLLECT { MATCH (k)-[:FOR]->(x:Capability) RETURN x.id } AS named
  WITH s, capabilities, k, named, [c IN capabilities WHERE size(named) = 0 OR c IN named] AS mine
  WITH s, capabilities, k, mine,
       CASE WHEN k IS NULL OR size(mine) = 0 THEN 0
            ELSE COUNT { MATCH (k)-[:COVERS]->(t:System)
                         WHERE size(named) = 0 OR EXISTS { MATCH (t)-[:SUPPORTS]->(y:Capability) WHERE y.id IN named } }
       END AS covered
  WITH s, capabilities,
       collect(CASE WHEN covered = 0 THEN null
                    ELSE {contract: k.id, currency: k.currency, capabilities: mine,
                          amount: toFloat(k.annual_value) / covered / size(mine)} END) AS paid
  WITH s, CASE WHEN size(paid) > 0 THEN paid
               WHEN s.annual_cost IS NOT NULL
                 THEN [{contract: '', currency: s.currency, capabilities: capabilities,
                        amount: toFloat(s.annual_cost) / size(capabilities)}]
               ELSE [] END AS lines
  UNWIND lines AS line
  UNWIND line.capabilities AS capability
  RETURN s.organisation AS organisation, capability, s.id AS system, line.contract AS contract,
         line.currency AS currency, line.amount AS annual_cost
  UNION ALL
  MATCH (k:Contract)-[:FOR]->(c:Capability)
  WHERE k.annual_value IS NOT NULL AND NOT EXISTS { (k)-[:COVERS]->(:System) }
  WITH k, collect(c.id) AS capabilities
  UNWIND capabilities AS capability
  RETURN k.organisation AS organisation, capability, '' AS system, k.id AS contract,
         k.currency AS currency, toFloat(k.annual_value) / size(capabilities) AS annual_cost
}
RETURN organisation, capability, system, contract, currency, annual_cost
ORDER BY organisation, capability, system, contract
