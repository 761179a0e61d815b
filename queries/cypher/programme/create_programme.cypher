// name: create_programme
// description: Create a programme node with its moves, each linked from it by HAS_MOVE with its rank.
// mode: write
// param programme: string  The programme's name
// param props: map  The programme's properties (name, as_of, objective, solver, totals as flat properties)
// param moves: list  One map per move: rank and props (programme, id, kind, npv_central, ...)
// returns: moves
CREATE (p:Programme)
SET p = $props, p.name = $programme
WITH p
UNWIND $moves AS row
CREATE (m:Move)
SET m = row.props, m.programme = $programme
CREATE (p)-[:HAS_MOVE {rank: row.rank}]->(m)
RETURN count(m) AS moves
