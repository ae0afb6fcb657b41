-- The customers' wealth holdings at snap(wealth_holdings, as_of).
SELECT h.*
FROM wealth_held h
JOIN calendar c ON c.day = {as_of} AND h.holding_date = c.hold_snap
