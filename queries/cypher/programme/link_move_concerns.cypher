// name: link_move_concerns
// description: Link a programme's moves to the estate items they concern (CONCERNS with a role): systems, target product, data centres, contracts, capabilities, networks, procurement plans; matched by each label's key.
// mode: write
// param programme: string  The programme's name
// param rows: list  One map per link: move, label, id, role
// returns: links
UNWIND $rows AS row
MATCH (m:Move {programme: $programme, id: row.move})
CALL (row) {
  MATCH (n:System {id: row.id}) WHERE row.label = 'System' RETURN n
  UNION
  MATCH (n:Product {id: row.id}) WHERE row.label = 'Product' RETURN n
  UNION
  MATCH (n:DataCentre {id: row.id}) WHERE row.label = 'DataCentre' RETURN n
  UNION
  MATCH (n:Contract {id: row.id}) WHERE row.label = 'Contract' RETURN n
  UNION
  MATCH (n:Capability {id: row.id}) WHERE row.label = 'Capability' RETURN n
  UNION
  MATCH (n:Network {id: row.id}) WHERE row.label = 'Network' RETURN n
  UNION
  MATCH (n:ProcurementPlan {id: row.id}) WHERE row.label = 'ProcurementPlan' RETURN n
}
CREATE (m)-[:CONCERNS {role: row.role}]->(n)
RETURN count(*) AS links
