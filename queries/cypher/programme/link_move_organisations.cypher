// name: link_move_organisations
// description: Link a programme's moves to their lead (MOVE_LED_BY), to each step's organisation (MOVES, with the step's action, go-live, value and baseline) and to the organisations already on the target (ALREADY_THERE, with their baseline).
// mode: write
// param programme: string  The programme's name
// param leads: list  One map per move with a lead: move, organisation
// param steps: list  One map per step: move, organisation, props (action, go_live, npv_central, baseline_annual_spend, ...)
// param there: list  One map per already_there entry: move, organisation, props (action, role, system, baseline_annual_spend, ...)
// returns: leads, steps, there
CALL () {
  UNWIND $leads AS row
  MATCH (m:Move {programme: $programme, id: row.move})
  MATCH (o:Organisation {id: row.organisation})
  CREATE (m)-[:MOVE_LED_BY]->(o)
  RETURN count(*) AS leads
}
CALL () {
  UNWIND $steps AS row
  MATCH (m:Move {programme: $programme, id: row.move})
  MATCH (o:Organisation {id: row.organisation})
  CREATE (m)-[r:MOVES]->(o)
  SET r = row.props
  RETURN count(*) AS steps
}
CALL () {
  UNWIND $there AS row
  MATCH (m:Move {programme: $programme, id: row.move})
  MATCH (o:Organisation {id: row.organisation})
  CREATE (m)-[r:ALREADY_THERE]->(o)
  SET r = row.props
  RETURN count(*) AS there
}
RETURN leads, steps, there
