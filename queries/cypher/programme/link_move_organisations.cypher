// name: link_move_organisations
// description: Link a programme's moves to their lead (MOVE_LED_BY) and to each step's organisation (MOVES, with the step's action, go-live and value).
// mode: write
// param programme: string  The programme's name
// param leads: list  One map per move with a lead: move, organisation
// param steps: list  One map per step: move, organisation, props (action, go_live, npv_central, ...)
// returns: leads, steps
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
RETURN leads, steps
