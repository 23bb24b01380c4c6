package dev.orchestrator.jdbc.internal;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.Table;
import org.jooq.UpdateConditionStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orchestrator.jdbc.internal.Col.q;

/**
 * {@link Binder} for PostgreSQL: each write is one statement over
 * {@code unnest(arrays) WITH ORDINALITY AS u(columns..., ord)}, one array bind value per row
 * column, so a batch of any size costs one statement; an update returns the ordinals of the rows
 * it changed. When one task appears twice in a batch, its row is updated once.
 */
final class ArrayBinder implements Binder {

    private static final Field<Long> ORD = DSL.field(DSL.name("u", "ord"), SQLDataType.BIGINT);

    private final DSLContext r;
    private final Jdbc jdbc;

    /** Renders with {@code renderer}; runs with {@code jdbc}. */
    ArrayBinder(DSLContext renderer, Jdbc jdbc) {
        this.r = renderer;
        this.jdbc = jdbc;
    }

    @Override
    public Bound prepare(RowWrite w) {
        List<Field<?>> rowColumns = new ArrayList<>(List.of(w.key(), Col.ATTEMPT));
        int scalars = 0;
        for (RowWrite.Assignment a : w.sets()) {
            if (a.source() == RowWrite.Source.ROW) {
                rowColumns.add(a.column());
            } else if (a.source() == RowWrite.Source.SCALAR) {
                scalars++;
            }
        }
        Table<?> u = unnest(rowColumns);
        Query query;
        if (w.insert()) {
            List<Field<?>> columns = new ArrayList<>(List.of(w.key(), Col.ATTEMPT));
            List<Field<?>> values = new ArrayList<>(List.of(q("u", w.key()), q("u", Col.ATTEMPT)));
            for (RowWrite.Assignment a : w.sets()) {
                columns.add(a.column());
                values.add(value(a));
            }
            query = r.insertInto(w.table()).columns(columns).select(r.select(values).from(u));
        } else {
            Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
            w.sets().forEach(a -> set.put(a.column(), value(a)));
            Condition where = q("t", w.key()).eq(q("u", w.key())).and(q("t", Col.ATTEMPT).eq(q("u", Col.ATTEMPT)));
            if (w.live()) {
                where = where.and(Statuses.inFlight(q("t", Col.STATUS)));
            }
            UpdateConditionStep<?> update = r.update(w.table().as("t")).set(set).from(u).where(where);
            query = switch (w.result()) {
                case NONE -> update;
                case APPLIED -> update.returningResult(ORD);
                case STEPS -> update.returningResult(ORD, q("t", Col.RUN_ID), q("t", Col.STEP_INDEX));
            };
        }
        // Scalars come first in the SQL (SET list or SELECT list), then the arrays of FROM.
        return new ArrayBound(Stmt.of(r, query, scalars + rowColumns.size()), rowColumns, w.result());
    }

    /** How an assignment's value is written: a bind value, the row's array column, or the constant. */
    private static Field<?> value(RowWrite.Assignment a) {
        return switch (a.source()) {
            case SCALAR -> DSL.param(a.column().getDataType());
            case ROW -> q("u", a.column());
            case LITERAL -> a.literal();
        };
    }

    /** {@code unnest(?, ?, ...) WITH ORDINALITY AS u(columns..., ord)}, one array bind value per column. */
    private static Table<?> unnest(List<Field<?>> columns) {
        String[] names = new String[columns.size() + 1];
        QueryPart[] arrays = new QueryPart[columns.size()];
        StringBuilder template = new StringBuilder("unnest(");
        for (int i = 0; i < columns.size(); i++) {
            names[i] = columns.get(i).getName();
            arrays[i] = DSL.param(columns.get(i).getDataType().array());
            template.append(i == 0 ? "" : ", ").append('{').append(i).append('}');
        }
        names[columns.size()] = "ord";
        return DSL.table(template.append(") with ordinality").toString(), (Object[]) arrays).as("u", names);
    }

    private final class ArrayBound implements Bound {
        private final Stmt stmt;
        private final List<Class<?>> types;
        private final RowWrite.Result result;

        ArrayBound(Stmt stmt, List<Field<?>> rowColumns, RowWrite.Result result) {
            this.stmt = stmt;
            this.types = rowColumns.stream().<Class<?>>map(Field::getType).toList();
            this.result = result;
        }

        @Override
        public boolean[] run(Connection c, Object[] scalars, List<Object[]> rows) throws SQLException {
            boolean[] applied = new boolean[rows.size()];
            if (rows.isEmpty()) {
                return applied;
            }
            if (result == RowWrite.Result.NONE) {
                jdbc.update(c, stmt, args(scalars, rows));
                Arrays.fill(applied, true);
            } else {
                jdbc.query(c, stmt, args(scalars, rows), rs -> applied[(int) rs.getLong(1) - 1] = true);
            }
            return applied;
        }

        @Override
        public StepKey[] runForSteps(Connection c, Object[] scalars, List<Object[]> rows) throws SQLException {
            StepKey[] steps = new StepKey[rows.size()];
            if (!rows.isEmpty()) {
                jdbc.query(c, stmt, args(scalars, rows),
                        rs -> steps[(int) rs.getLong(1) - 1] = new StepKey(rs.getLong(2), rs.getInt(3)));
            }
            return steps;
        }

        /** The scalars, then one typed array per row column. */
        private Object[] args(Object[] scalars, List<Object[]> rows) {
            Object[] args = Arrays.copyOf(scalars, scalars.length + types.size());
            for (int j = 0; j < types.size(); j++) {
                Class<?> type = types.get(j);
                Object[] column = type == Long.class ? new Long[rows.size()]
                        : type == Integer.class ? new Integer[rows.size()] : new String[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    Object v = rows.get(i)[j];
                    column[i] = v == null ? null : type == Long.class ? (Object) ((Number) v).longValue()
                            : type == Integer.class ? (Object) ((Number) v).intValue() : v;
                }
                args[scalars.length + j] = column;
            }
            return args;
        }
    }
}
