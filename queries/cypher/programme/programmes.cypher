// name: programmes
// description: The saved programmes, with their date, objective, solver status, number of moves and NPV range.
// mode: read
// returns: programme, as_of, objective, solver_status, moves, one_off_cost, npv_p10, npv_central, npv_p90
MATCH (p:Programme)
RETURN p.name AS programme, p.as_of AS as_of, p.objective AS objective, p.solver_status AS solver_status,
       COUNT { (p)-[:HAS_MOVE]->(:Move) } AS moves, p.one_off_cost AS one_off_cost,
       p.npv_p10 AS npv_p10, p.npv_central AS npv_central, p.npv_p90 AS npv_p90
ORDER BY programme
