-- The customers' equity holdings at snap(positions, as_of).
SELECT h.*
FROM positions_held h
JOIN calendar c ON c.day = {as_of} AND h.position_date = c.pos_snap
