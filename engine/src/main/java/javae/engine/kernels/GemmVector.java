package javae.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast {@link Gemm#multiply} and {@link Gemm#multiplyRows}: BLIS-style packed panels, a
 * register-blocked micro-kernel on the Vector API, cache blocking, and parallel output tiles. Only
 * loaded when {@link VectorSupport#enabled()}, because it references {@code jdk.incubator.vector}.
 *
 * <p>How it works, in two parallel phases:
 * <ol>
 *   <li>Pack. op(A) is copied once into MR-row micro-panels and op(B) into NR-column micro-panels,
 *       block by block of KC along k, each laid out in the exact order the micro-kernel reads it
 *       (contiguous, zero-padded at the edges). Transposes are handled here, while packing: no
 *       transposed copy is ever materialised (a transposed B panel is transposed in registers, blocks
 *       of 16 x 16 floats at 512 bits, and gathered a vector at a time otherwise). Each operand is
 *       packed once per call, so packing costs O(mk + kn) against the O(mnk) multiply-adds.</li>
 *   <li>Multiply. C [m, n] is cut into fixed MC x NC tiles that run in parallel. The cut does not
 *       depend on the number of threads, and each C element is computed by exactly one tile in one
 *       fixed order (k blocks in order, each summed from zero, then added to C), so results are the
 *       same bits on any number of threads. Within a tile, the micro-kernel keeps an MR x NR block of
 *       C in 2 * MR vector registers (NR is two vectors) and, for each of the KC steps, loads two
 *       vectors of B, broadcasts MR values of A and issues 2 * MR fused multiply-adds.</li>
 * </ol>
 * Block sizes for Zen 5 (48 KB L1d, 1 MB L2 per core): a B micro-panel, KC x NR floats (32 KB at
 * 512 bits), stays in L1 while the tile's MC/MR A micro-panels stream past it from L2; the tile's
 * A block (MC x KC, 128 KB) and B block (KC x NC, 256 KB) fit in L2 together.
 *
 * <p>Every operand is addressed through row offsets (row r of A, B or C starts at {@code aRows[r]}
 * and so on; a dense matrix's are {@code offset + r * pitch}). That lets the convolutions hand over
 * matrices that exist only as rows scattered through another array: the windows of an image, read
 * straight from its split phases ({@link ConvIm2col}). In {@link #multiplyRows} a B that is not
 * transposed is not packed up front: for the convolutions' thin products (32 to 64 rows of C) that
 * would write out and read back as many floats as the multiply reads. Each KC x NR micro-panel is
 * instead copied from B's rows into one small buffer just before the tile's MR-row strips read it,
 * and stays in L1 while they do. (Read straight from B's rows, each step's address came from a
 * table, so the JIT kept a bounds check on both vector loads of every step: conv2's products ran
 * 20-30% slower than with the copy.) A non-transposed A is read in place (MR rows, each along k)
 * when only a few B panels read it ({@link #PACK_A_MIN_PANELS}). Rows of C may overlap there (col2im),
 * so the micro-kernel writes C row by row, and those calls run on the calling thread.
 *
 * <p>The buffers belong to the calling thread and only grow (to the largest operands it has
 * multiplied), so a steady-state call allocates nothing on the calling thread; a parallel call
 * allocates only its two lambdas and the small objects of two parallel loops.
 */
final class GemmVector {
    static final VectorSpecies<Float> SPECIES = chooseSpecies();
    static final int LANES = SPECIES.length();
    /** Rows of the register tile: 8 rows x 2 vectors = 16 accumulators, leaving registers for B and A. */
    static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * LANES;
    /** Depth of a packed block. */
    static final int KC = 256;
    /** Rows of an output tile; a multiple of MR. */
    static final int MC = 128;
    /** Columns of an output tile; a multiple of NR at both 256 and 512 bits. */
    static final int NC = 256;
    /**
     * In {@link #multiplyRows}, an A that fewer B panels than this read is read in place, and one
     * that more read is packed. Packed, a convolution's weights (the A of forward and backward-data)
     * made conv2's and tconv4's products 7-10% faster, where 17 to 33 panels read them; but conv4's
     * and tconv2's, 5 panels, 4-10% slower, and the weight gradient's, whose A is the large cols
     * read by one or two panels, 20% slower.
     */
    static final int PACK_A_MIN_PANELS = 8;
    /** Below this many multiply-adds a call stays on the calling thread: forking would cost more. */
    static final long MIN_PARALLEL_WORK = 1L << 18;

    /**
     * The block transpose of a transposed B's packing ({@link #transposeBlock}), at 512 bits: it swaps
     * lanes l and l ^ d between vector pairs, d = 8, 4, 2, 1 (null at other widths, which gather).
     */
    private static final boolean TRANSPOSE_BLOCKS = LANES == 16;
    private static final VectorShuffle<Float> SWAP_8 = swap(8), SWAP_4 = swap(4), SWAP_2 = swap(2), SWAP_1 = swap(1);
    /** The lanes l with bit d set: where the first vector of a pair takes its partner's lanes. */
    private static final VectorMask<Float> BIT_8 = lanesWithBit(8), BIT_4 = lanesWithBit(4), BIT_2 = lanesWithBit(2), BIT_1 = lanesWithBit(1);

    private static VectorShuffle<Float> swap(int d) {
        return TRANSPOSE_BLOCKS ? VectorShuffle.fromOp(SPECIES, l -> l ^ d) : null;
    }

    private static VectorMask<Float> lanesWithBit(int d) {
        if (!TRANSPOSE_BLOCKS) return null;
        long bits = 0;
        for (int l = 0; l < LANES; l++) if ((l & d) != 0) bits |= 1L << l;
        return VectorMask.fromLong(SPECIES, bits);
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private GemmVector() {}

    /**
     * One thread's reusable buffers: the packed operands of its calls, where the rows of B and C start,
     * a B panel copied from B's rows, and a scratch register tile.
     */
    private static final class Workspace {
        float[] packedA = new float[0];
        /** What packedA holds: the sameA token of the call that packed it, or null when none was given. */
        Object packedAToken;
        float[] packedB = new float[0];
        int[] aRows = new int[0];
        int[] bRows = new int[0];
        int[] cRows = new int[0];
        final float[] panel = new float[KC * NR]; // a micro-panel of B copied from its rows, padded at B's right edge
        final float[] edge = new float[MR * NR]; // a register tile that overhangs C's edge

        float[] packedA(int size) {
            if (packedA.length < size) packedA = new float[size];
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) packedB = new float[size];
            return packedB;
        }

        /** Where the rows of a dense row-major A start: row r at offset + r * pitch. */
        int[] aRows(int count, int offset, int pitch) {
            if (aRows.length < count) aRows = new int[count];
            return denseRows(aRows, count, offset, pitch);
        }

        /** Likewise for B. */
        int[] bRows(int count, int offset, int pitch) {
            if (bRows.length < count) bRows = new int[count];
            return denseRows(bRows, count, offset, pitch);
        }

        /** Likewise for C. */
        int[] cRows(int count, int offset, int pitch) {
            if (cRows.length < count) cRows = new int[count];
            return denseRows(cRows, count, offset, pitch);
        }

        private static int[] denseRows(int[] rows, int count, int offset, int pitch) {
            for (int r = 0; r < count; r++) rows[r] = offset + r * pitch;
            return rows;
        }
    }

    static String describeSpecies() {
        return "vector " + SPECIES.vectorBitSize() + "-bit, " + LANES + " floats";
    }

    private static VectorSpecies<Float> chooseSpecies() {
        int bits = Math.min(VectorSupport.bits(), FloatVector.SPECIES_PREFERRED.vectorBitSize());
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() == bits
                ? FloatVector.SPECIES_PREFERRED
                : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    /** Same contract as {@link Gemm#multiply}; arguments are already checked and m, n, k are positive. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOffset, float[] b, int bOffset,
                         float[] c, int cOffset, boolean accumulate) {
        Workspace ws = WORKSPACE.get();
        int[] aRows = ws.aRows(transA ? k : m, aOffset, transA ? m : k);
        int[] bRows = ws.bRows(transB ? n : k, bOffset, transB ? k : n);
        int[] cRows = ws.cRows(m, cOffset, n);
        run(transA, transB, false, m, n, k, a, aRows, b, bRows, null, c, cRows, accumulate, null, ws);
    }

    /**
     * Same contract as {@link Gemm#multiplyRows}; arguments are already checked and m, n, k are
     * positive. A non-transposed B is copied panel by panel as the tiles need it, and a non-transposed A
     * that few B panels read ({@link #PACK_A_MIN_PANELS}) is read in place; the tiles run on the
     * calling thread, in a fixed order, because rows of C may overlap.
     */
    static void multiplyRows(boolean transA, boolean transB, int m, int n, int k, float[] a, int[] aRows,
                             float[] b, int[] bRows, int[] bColumns, float[] c, int[] cRows, boolean accumulate, Object sameA) {
        run(transA, transB, true, m, n, k, a, aRows, b, bRows, bColumns, c, cRows, accumulate, sameA, WORKSPACE.get());
    }

    /**
     * The two phases of the class comment. Row r of A (of op(A), or of A itself when transA) starts
     * at a[aRows[r]], likewise for B (at its steps' bColumns, when given), and row i of C at c[cRows[i]]. With {@code inPlace} the
     * operands that are not transposed are not packed (A only while few B panels read it): the
     * micro-kernel reads them through their row offsets, and the tiles run on the calling thread.
     */
    private static void run(boolean transA, boolean transB, boolean inPlace, int m, int n, int k,
                            float[] a, int[] aRows, float[] b, int[] bRows, int[] bColumns,
                            float[] c, int[] cRows, boolean accumulate, Object sameA, Workspace ws) {
        // Packed layout: k block p0 of A starts at p0 * mPadded, and its panel of rows i at i * kc
        // within it; likewise for B with columns.
        int mPadded = roundUp(m, MR), nPadded = roundUp(n, NR);
        boolean aInPlace = inPlace && !transA && nPadded / NR < PACK_A_MIN_PANELS, bInPlace = inPlace && !transB;
        float[] packedA = aInPlace ? null : ws.packedA(Math.multiplyExact(mPadded, k));
        float[] packedB = bInPlace ? null : ws.packedB(Math.multiplyExact(nPadded, k));
        int rowGroups = (m + MC - 1) / MC, columnGroups = (n + NC - 1) / NC;
        int tiles = rowGroups * columnGroups;
        if (!inPlace && Parallel.worthSplitting(tiles, (long) m * n * k, MIN_PARALLEL_WORK)) {
            ws.packedAToken = null;
            Parallel.forEach(rowGroups + columnGroups, group -> {
                if (group < rowGroups) packA(transA, m, k, a, aRows, group * MC, packedA, mPadded);
                else packB(transB, n, k, b, bRows, bColumns, (group - rowGroups) * NC, packedB, nPadded);
            });
            Parallel.forEach(tiles, tile -> multiplyTile(tile / columnGroups, tile % columnGroups,
                    m, n, k, a, aRows, packedA, mPadded, b, bRows, packedB, nPadded, c, cRows, accumulate));
        } else {
            // a thread's later calls with the same token find this A packed already
            if (!aInPlace && (sameA == null || ws.packedAToken != sameA)) {
                for (int group = 0; group < rowGroups; group++) packA(transA, m, k, a, aRows, group * MC, packedA, mPadded);
                ws.packedAToken = sameA;
            }
            if (!bInPlace) {
                for (int group = 0; group < columnGroups; group++) packB(transB, n, k, b, bRows, bColumns, group * NC, packedB, nPadded);
            }
            for (int tile = 0; tile < tiles; tile++) {
                multiplyTile(tile / columnGroups, tile % columnGroups,
                        m, n, k, a, aRows, packedA, mPadded, b, bRows, packedB, nPadded, c, cRows, accumulate);
            }
        }
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /**
     * Computes the output tile C[rows tileRow*MC.., columns tileCol*NC..] over the whole depth k, from
     * packedA, or, when that is null, from A in place; and from packedB or, when that is null, from
     * B's rows, one micro-panel at a time copied into the thread's panel buffer.
     */
    private static void multiplyTile(int tileRow, int tileCol, int m, int n, int k,
                                     float[] a, int[] aRows, float[] packedA, int mPadded,
                                     float[] b, int[] bRows, float[] packedB, int nPadded,
                                     float[] c, int[] cRows, boolean accumulate) {
        Workspace ws = WORKSPACE.get();
        int i0 = tileRow * MC, mc = Math.min(MC, m - i0);
        int j0 = tileCol * NC, nc = Math.min(NC, n - j0);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            // The first block overwrites C unless the caller accumulates; later blocks add to it.
            boolean addToC = accumulate || p0 > 0;
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                // The micro-kernel reads a packed panel: op(B)'s, or this one, copied from B's rows in place
                float[] panel = ws.panel;
                int bBase = 0;
                if (packedB != null) {
                    panel = packedB;
                    bBase = p0 * nPadded + (j0 + jr) * kc;
                } else {
                    packPanel(false, b, bRows, null, p0, kc, j0 + jr, cols, panel, 0);
                }
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = Math.min(MR, mc - ir);
                    if (packedA != null) {
                        microKernel(packedA, p0 * mPadded + (i0 + ir) * kc, panel, bBase, kc,
                                c, cRows, i0 + ir, j0 + jr, rows, cols, addToC, ws.edge);
                    } else {
                        microKernelRowsOfA(a, aRows, i0 + ir, p0, panel, bBase, kc,
                                c, cRows, i0 + ir, j0 + jr, rows, cols, addToC, ws.edge);
                    }
                }
            }
        }
    }

    /**
     * Packs rows [i0, i0+MC) of op(A) (fewer at the bottom edge), all of k, as MR-row micro-panels
     * laid out [kc][MR], so the micro-kernel reads MR consecutive values per step. Missing rows are zero.
     */
    static void packA(boolean transA, int m, int k, float[] a, int[] aRows, int i0, float[] packed, int mPadded) {
        int mc = Math.min(MC, m - i0);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int ir = 0; ir < mc; ir += MR) {
                int panel = p0 * mPadded + (i0 + ir) * kc;
                int rows = Math.min(MR, mc - ir);
                if (transA) {
                    // A is [k, m]: row p of A holds op(A)'s column p, so read MR neighbours along m.
                    for (int p = 0; p < kc; p++) {
                        int src = aRows[p0 + p] + i0 + ir;
                        int dst = panel + p * MR;
                        for (int r = 0; r < rows; r++) packed[dst + r] = a[src + r];
                        for (int r = rows; r < MR; r++) packed[dst + r] = 0f;
                    }
                } else {
                    // A is [m, k]: read each row along k, write it with stride MR.
                    for (int r = 0; r < MR; r++) {
                        int dst = panel + r;
                        if (r < rows) {
                            int src = aRows[i0 + ir + r] + p0;
                            for (int p = 0; p < kc; p++) packed[dst + p * MR] = a[src + p];
                        } else {
                            for (int p = 0; p < kc; p++) packed[dst + p * MR] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** Packs columns [j0, j0+NC) of op(B) (fewer at the right edge), all of k, with {@link #packPanel}. */
    static void packB(boolean transB, int n, int k, float[] b, int[] bRows, int[] bColumns, int j0, float[] packed, int nPadded) {
        int nc = Math.min(NC, n - j0);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int jr = 0; jr < nc; jr += NR) {
                packPanel(transB, b, bRows, bColumns, p0, kc, j0 + jr, Math.min(NR, nc - jr), packed, p0 * nPadded + (j0 + jr) * kc);
            }
        }
    }

    /**
     * Packs the micro-panel of op(B) at steps [p0, p0+kc) and columns [j, j+cols) as [kc][NR] from
     * {@code panel}, so the micro-kernel reads two whole vectors per step. Missing columns are zero.
     * A transposed B's steps lie at bColumns (zero where negative) when that is not null.
     */
    private static void packPanel(boolean transB, float[] b, int[] bRows, int[] bColumns, int p0, int kc, int j, int cols,
                                  float[] packed, int panel) {
        if (transB && cols == NR) {
            // Row j of B holds op(B)'s column j. Where LANES steps lie side by side in B's rows (always,
            // without a column table), they are two square blocks to transpose in registers; any
            // other step gathers one float from each of NR rows, or is zero at a negative column.
            int p = 0;
            while (p < kc) {
                int dst = panel + p * NR;
                int column = Gemm.column(bColumns, p0 + p);
                if (TRANSPOSE_BLOCKS && p + LANES <= kc && column >= 0 && stepsSideBySide(bColumns, p0 + p)) {
                    transposeBlock(b, bRows, j, column, packed, dst);
                    transposeBlock(b, bRows, j + LANES, column, packed, dst + LANES);
                    p += LANES;
                    continue;
                }
                if (column < 0) {
                    FloatVector.zero(SPECIES).intoArray(packed, dst);
                    FloatVector.zero(SPECIES).intoArray(packed, dst + LANES);
                } else {
                    FloatVector.fromArray(SPECIES, b, column, bRows, j).intoArray(packed, dst);
                    FloatVector.fromArray(SPECIES, b, column, bRows, j + LANES).intoArray(packed, dst + LANES);
                }
                p++;
            }
        } else if (transB) {
            // The right edge: read the rows there are along k, write with stride NR, pad with zeros.
            for (int q = 0; q < NR; q++) {
                int dst = panel + q;
                if (q < cols) {
                    int row = bRows[j + q];
                    for (int p = 0; p < kc; p++) {
                        int column = Gemm.column(bColumns, p0 + p);
                        packed[dst + p * NR] = column < 0 ? 0f : b[row + column];
                    }
                } else {
                    for (int p = 0; p < kc; p++) packed[dst + p * NR] = 0f;
                }
            }
        } else if (cols == NR) {
            // Each step's NR values are already contiguous: two vector copies.
            for (int p = 0; p < kc; p++) {
                int src = bRows[p0 + p] + j;
                int dst = panel + p * NR;
                FloatVector.fromArray(SPECIES, b, src).intoArray(packed, dst);
                FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(packed, dst + LANES);
            }
        } else {
            // The right edge: copy what there is and pad with zeros.
            for (int p = 0; p < kc; p++) {
                int dst = panel + p * NR;
                System.arraycopy(b, bRows[p0 + p] + j, packed, dst, cols);
                for (int q = cols; q < NR; q++) packed[dst + q] = 0f;
            }
        }
    }

    /** Whether the LANES steps from step p lie side by side in B's rows: always, without a column table. */
    private static boolean stepsSideBySide(int[] bColumns, int p) {
        if (bColumns == null) return true;
        for (int t = 1; t < LANES; t++) {
            if (bColumns[p + t] != bColumns[p] + t) return false;
        }
        return true;
    }

    /**
     * Packs 16 steps of 16 rows of B, rows j.. from column {@code step} on, transposed: step t's 16
     * values go to {@code packed[dst + t NR ..]}. A gather per step, as the other steps take, ran at
     * about two cycles a float (conv1's weight gradient: 0.96-1.04 ms with gathers, 0.84-0.89 with
     * this). Row q is loaded as vector v_q; then four rounds, d = 8, 4, 2, 1, exchange lane l ^ d of v_i with lane l of
     * v_{i + d} wherever bit d of l differs from bit d of i (for i without bit d). Each round flips
     * bit d of both the row and the lane of the elements that lie on the wrong side of the block's
     * diagonal at that scale, so at the end element (q, t) of the block is lane q of v_t. The 16
     * vectors are named locals, as the micro-kernel's accumulators, so that they stay in registers.
     */
    private static void transposeBlock(float[] b, int[] bRows, int j, int step, float[] packed, int dst) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, b, bRows[j] + step), v1 = FloatVector.fromArray(SPECIES, b, bRows[j + 1] + step);
        FloatVector v2 = FloatVector.fromArray(SPECIES, b, bRows[j + 2] + step), v3 = FloatVector.fromArray(SPECIES, b, bRows[j + 3] + step);
        FloatVector v4 = FloatVector.fromArray(SPECIES, b, bRows[j + 4] + step), v5 = FloatVector.fromArray(SPECIES, b, bRows[j + 5] + step);
        FloatVector v6 = FloatVector.fromArray(SPECIES, b, bRows[j + 6] + step), v7 = FloatVector.fromArray(SPECIES, b, bRows[j + 7] + step);
        FloatVector v8 = FloatVector.fromArray(SPECIES, b, bRows[j + 8] + step), v9 = FloatVector.fromArray(SPECIES, b, bRows[j + 9] + step);
        FloatVector v10 = FloatVector.fromArray(SPECIES, b, bRows[j + 10] + step), v11 = FloatVector.fromArray(SPECIES, b, bRows[j + 11] + step);
        FloatVector v12 = FloatVector.fromArray(SPECIES, b, bRows[j + 12] + step), v13 = FloatVector.fromArray(SPECIES, b, bRows[j + 13] + step);
        FloatVector v14 = FloatVector.fromArray(SPECIES, b, bRows[j + 14] + step), v15 = FloatVector.fromArray(SPECIES, b, bRows[j + 15] + step);
        // Each line exchanges one pair (a, c): a keeps its lanes without bit d and takes c's swapped
        // lanes where bit d is set; c takes a's swapped lanes where it is clear and keeps its own.
        FloatVector a;
        a = v0; v0 = a.blend(v8.rearrange(SWAP_8), BIT_8); v8 = a.rearrange(SWAP_8).blend(v8, BIT_8);
        a = v1; v1 = a.blend(v9.rearrange(SWAP_8), BIT_8); v9 = a.rearrange(SWAP_8).blend(v9, BIT_8);
        a = v2; v2 = a.blend(v10.rearrange(SWAP_8), BIT_8); v10 = a.rearrange(SWAP_8).blend(v10, BIT_8);
        a = v3; v3 = a.blend(v11.rearrange(SWAP_8), BIT_8); v11 = a.rearrange(SWAP_8).blend(v11, BIT_8);
        a = v4; v4 = a.blend(v12.rearrange(SWAP_8), BIT_8); v12 = a.rearrange(SWAP_8).blend(v12, BIT_8);
        a = v5; v5 = a.blend(v13.rearrange(SWAP_8), BIT_8); v13 = a.rearrange(SWAP_8).blend(v13, BIT_8);
        a = v6; v6 = a.blend(v14.rearrange(SWAP_8), BIT_8); v14 = a.rearrange(SWAP_8).blend(v14, BIT_8);
        a = v7; v7 = a.blend(v15.rearrange(SWAP_8), BIT_8); v15 = a.rearrange(SWAP_8).blend(v15, BIT_8);

        a = v0; v0 = a.blend(v4.rearrange(SWAP_4), BIT_4); v4 = a.rearrange(SWAP_4).blend(v4, BIT_4);
        a = v1; v1 = a.blend(v5.rearrange(SWAP_4), BIT_4); v5 = a.rearrange(SWAP_4).blend(v5, BIT_4);
        a = v2; v2 = a.blend(v6.rearrange(SWAP_4), BIT_4); v6 = a.rearrange(SWAP_4).blend(v6, BIT_4);
        a = v3; v3 = a.blend(v7.rearrange(SWAP_4), BIT_4); v7 = a.rearrange(SWAP_4).blend(v7, BIT_4);
        a = v8; v8 = a.blend(v12.rearrange(SWAP_4), BIT_4); v12 = a.rearrange(SWAP_4).blend(v12, BIT_4);
        a = v9; v9 = a.blend(v13.rearrange(SWAP_4), BIT_4); v13 = a.rearrange(SWAP_4).blend(v13, BIT_4);
        a = v10; v10 = a.blend(v14.rearrange(SWAP_4), BIT_4); v14 = a.rearrange(SWAP_4).blend(v14, BIT_4);
        a = v11; v11 = a.blend(v15.rearrange(SWAP_4), BIT_4); v15 = a.rearrange(SWAP_4).blend(v15, BIT_4);

        a = v0; v0 = a.blend(v2.rearrange(SWAP_2), BIT_2); v2 = a.rearrange(SWAP_2).blend(v2, BIT_2);
        a = v1; v1 = a.blend(v3.rearrange(SWAP_2), BIT_2); v3 = a.rearrange(SWAP_2).blend(v3, BIT_2);
        a = v4; v4 = a.blend(v6.rearrange(SWAP_2), BIT_2); v6 = a.rearrange(SWAP_2).blend(v6, BIT_2);
        a = v5; v5 = a.blend(v7.rearrange(SWAP_2), BIT_2); v7 = a.rearrange(SWAP_2).blend(v7, BIT_2);
        a = v8; v8 = a.blend(v10.rearrange(SWAP_2), BIT_2); v10 = a.rearrange(SWAP_2).blend(v10, BIT_2);
        a = v9; v9 = a.blend(v11.rearrange(SWAP_2), BIT_2); v11 = a.rearrange(SWAP_2).blend(v11, BIT_2);
        a = v12; v12 = a.blend(v14.rearrange(SWAP_2), BIT_2); v14 = a.rearrange(SWAP_2).blend(v14, BIT_2);
        a = v13; v13 = a.blend(v15.rearrange(SWAP_2), BIT_2); v15 = a.rearrange(SWAP_2).blend(v15, BIT_2);

        a = v0; v0 = a.blend(v1.rearrange(SWAP_1), BIT_1); v1 = a.rearrange(SWAP_1).blend(v1, BIT_1);
        a = v2; v2 = a.blend(v3.rearrange(SWAP_1), BIT_1); v3 = a.rearrange(SWAP_1).blend(v3, BIT_1);
        a = v4; v4 = a.blend(v5.rearrange(SWAP_1), BIT_1); v5 = a.rearrange(SWAP_1).blend(v5, BIT_1);
        a = v6; v6 = a.blend(v7.rearrange(SWAP_1), BIT_1); v7 = a.rearrange(SWAP_1).blend(v7, BIT_1);
        a = v8; v8 = a.blend(v9.rearrange(SWAP_1), BIT_1); v9 = a.rearrange(SWAP_1).blend(v9, BIT_1);
        a = v10; v10 = a.blend(v11.rearrange(SWAP_1), BIT_1); v11 = a.rearrange(SWAP_1).blend(v11, BIT_1);
        a = v12; v12 = a.blend(v13.rearrange(SWAP_1), BIT_1); v13 = a.rearrange(SWAP_1).blend(v13, BIT_1);
        a = v14; v14 = a.blend(v15.rearrange(SWAP_1), BIT_1); v15 = a.rearrange(SWAP_1).blend(v15, BIT_1);

        v0.intoArray(packed, dst);
        v1.intoArray(packed, dst + NR);
        v2.intoArray(packed, dst + 2 * NR);
        v3.intoArray(packed, dst + 3 * NR);
        v4.intoArray(packed, dst + 4 * NR);
        v5.intoArray(packed, dst + 5 * NR);
        v6.intoArray(packed, dst + 6 * NR);
        v7.intoArray(packed, dst + 7 * NR);
        v8.intoArray(packed, dst + 8 * NR);
        v9.intoArray(packed, dst + 9 * NR);
        v10.intoArray(packed, dst + 10 * NR);
        v11.intoArray(packed, dst + 11 * NR);
        v12.intoArray(packed, dst + 12 * NR);
        v13.intoArray(packed, dst + 13 * NR);
        v14.intoArray(packed, dst + 14 * NR);
        v15.intoArray(packed, dst + 15 * NR);
    }

    /**
     * C[rows, cols] (+)= A-panel x B-panel, with rows <= MR and cols <= NR: the register tile. The A
     * panel is packed, [kc][MR] from {@code pa[aStart]}; step p of the B panel, packed too, is the NR
     * floats at {@code pb[bBase + p * NR]}. Row r of the tile is C at {@code c[cRows[cRow + r] + cCol]}.
     * The 16 accumulators are named locals so the JIT keeps them all in vector registers.
     *
     * <p>{@link #microKernelRowsOfA} is the same kernel for an A read in place. They are two copies
     * because every load's index must be a loop-invariant plus a constant multiple of p for the JIT
     * to drop its bounds check: one kernel with either stride (MR or 1) as a variable kept eight
     * checks per step, and a B step read from a table (B's rows in place) two; each cost 10-35% in
     * the convolutions' products. And the 16 vectors cannot leave the method that holds them
     * (see the comment before the stores).
     */
    private static void microKernel(float[] pa, int aStart, float[] pb, int bBase, int kc,
                                    float[] c, int[] cRows, int cRow, int cCol, int rows, int cols,
                                    boolean addToC, float[] edge) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bi + LANES);
            FloatVector ar = FloatVector.broadcast(SPECIES, pa[aStart + p * MR]);
            c00 = ar.fma(b0, c00);
            c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 1 + p * MR]);
            c10 = ar.fma(b0, c10);
            c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 2 + p * MR]);
            c20 = ar.fma(b0, c20);
            c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 3 + p * MR]);
            c30 = ar.fma(b0, c30);
            c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 4 + p * MR]);
            c40 = ar.fma(b0, c40);
            c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 5 + p * MR]);
            c50 = ar.fma(b0, c50);
            c51 = ar.fma(b1, c51);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 6 + p * MR]);
            c60 = ar.fma(b0, c60);
            c61 = ar.fma(b1, c61);
            ar = FloatVector.broadcast(SPECIES, pa[aStart + 7 + p * MR]);
            c70 = ar.fma(b0, c70);
            c71 = ar.fma(b1, c71);
        }
        // A full tile goes straight to C, row by row: each row is read, added to and written before
        // the next, so rows of C that overlap (col2im's) receive every addition. A tile that
        // overhangs C's edge goes to the scratch tile first and only its part inside C is copied.
        // Every vector stays a local here: handing one to a helper method that the JIT declines to
        // inline would box it on the heap. And the two ways out (add to C, or store) are two
        // straight-line paths: C2 on JDK 17 boxes a vector that merges two values (a phi), such as
        // `if (add) c00 = c00.add(...)`, which made a training step 3.8x slower there.
        boolean full = rows == MR && cols == NR;
        float[] out = full ? c : edge;
        int o0 = full ? cRows[cRow] + cCol : 0, o1 = full ? cRows[cRow + 1] + cCol : NR;
        int o2 = full ? cRows[cRow + 2] + cCol : 2 * NR, o3 = full ? cRows[cRow + 3] + cCol : 3 * NR;
        int o4 = full ? cRows[cRow + 4] + cCol : 4 * NR, o5 = full ? cRows[cRow + 5] + cCol : 5 * NR;
        int o6 = full ? cRows[cRow + 6] + cCol : 6 * NR, o7 = full ? cRows[cRow + 7] + cCol : 7 * NR;
        if (full && addToC) {
            c00.add(FloatVector.fromArray(SPECIES, out, o0)).intoArray(out, o0);
            c01.add(FloatVector.fromArray(SPECIES, out, o0 + LANES)).intoArray(out, o0 + LANES);
            c10.add(FloatVector.fromArray(SPECIES, out, o1)).intoArray(out, o1);
            c11.add(FloatVector.fromArray(SPECIES, out, o1 + LANES)).intoArray(out, o1 + LANES);
            c20.add(FloatVector.fromArray(SPECIES, out, o2)).intoArray(out, o2);
            c21.add(FloatVector.fromArray(SPECIES, out, o2 + LANES)).intoArray(out, o2 + LANES);
            c30.add(FloatVector.fromArray(SPECIES, out, o3)).intoArray(out, o3);
            c31.add(FloatVector.fromArray(SPECIES, out, o3 + LANES)).intoArray(out, o3 + LANES);
            c40.add(FloatVector.fromArray(SPECIES, out, o4)).intoArray(out, o4);
            c41.add(FloatVector.fromArray(SPECIES, out, o4 + LANES)).intoArray(out, o4 + LANES);
            c50.add(FloatVector.fromArray(SPECIES, out, o5)).intoArray(out, o5);
            c51.add(FloatVector.fromArray(SPECIES, out, o5 + LANES)).intoArray(out, o5 + LANES);
            c60.add(FloatVector.fromArray(SPECIES, out, o6)).intoArray(out, o6);
            c61.add(FloatVector.fromArray(SPECIES, out, o6 + LANES)).intoArray(out, o6 + LANES);
            c70.add(FloatVector.fromArray(SPECIES, out, o7)).intoArray(out, o7);
            c71.add(FloatVector.fromArray(SPECIES, out, o7 + LANES)).intoArray(out, o7 + LANES);
            return;
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + LANES);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + LANES);
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + LANES);
        c60.intoArray(out, o6);
        c61.intoArray(out, o6 + LANES);
        c70.intoArray(out, o7);
        c71.intoArray(out, o7 + LANES);
        if (!full) copyEdgeTile(edge, c, cRows, cRow, cCol, rows, cols, addToC);
    }

    /**
     * {@link #microKernel} with A read in place: row r of the tile's A from
     * {@code pa[aRows[aRow + r] + aFirstStep]}, contiguous along k (rows past A's edge repeat its
     * last row; their results are dropped).
     */
    private static void microKernelRowsOfA(float[] pa, int[] aRows, int aRow, int aFirstStep, float[] pb, int bBase, int kc,
                                           float[] c, int[] cRows, int cRow, int cCol, int rows, int cols,
                                           boolean addToC, float[] edge) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        int last = aRow + rows - 1;
        int a0 = aRows[aRow] + aFirstStep;
        int a1 = aRows[Math.min(aRow + 1, last)] + aFirstStep;
        int a2 = aRows[Math.min(aRow + 2, last)] + aFirstStep;
        int a3 = aRows[Math.min(aRow + 3, last)] + aFirstStep;
        int a4 = aRows[Math.min(aRow + 4, last)] + aFirstStep;
        int a5 = aRows[Math.min(aRow + 5, last)] + aFirstStep;
        int a6 = aRows[Math.min(aRow + 6, last)] + aFirstStep;
        int a7 = aRows[Math.min(aRow + 7, last)] + aFirstStep;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bi + LANES);
            FloatVector ar = FloatVector.broadcast(SPECIES, pa[a0 + p]);
            c00 = ar.fma(b0, c00);
            c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(SPECIES, pa[a1 + p]);
            c10 = ar.fma(b0, c10);
            c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(SPECIES, pa[a2 + p]);
            c20 = ar.fma(b0, c20);
            c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(SPECIES, pa[a3 + p]);
            c30 = ar.fma(b0, c30);
            c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(SPECIES, pa[a4 + p]);
            c40 = ar.fma(b0, c40);
            c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(SPECIES, pa[a5 + p]);
            c50 = ar.fma(b0, c50);
            c51 = ar.fma(b1, c51);
            ar = FloatVector.broadcast(SPECIES, pa[a6 + p]);
            c60 = ar.fma(b0, c60);
            c61 = ar.fma(b1, c61);
            ar = FloatVector.broadcast(SPECIES, pa[a7 + p]);
            c70 = ar.fma(b0, c70);
            c71 = ar.fma(b1, c71);
        }
        // The stores, exactly as in microKernel (see the comment there).
        boolean full = rows == MR && cols == NR;
        float[] out = full ? c : edge;
        int o0 = full ? cRows[cRow] + cCol : 0, o1 = full ? cRows[cRow + 1] + cCol : NR;
        int o2 = full ? cRows[cRow + 2] + cCol : 2 * NR, o3 = full ? cRows[cRow + 3] + cCol : 3 * NR;
        int o4 = full ? cRows[cRow + 4] + cCol : 4 * NR, o5 = full ? cRows[cRow + 5] + cCol : 5 * NR;
        int o6 = full ? cRows[cRow + 6] + cCol : 6 * NR, o7 = full ? cRows[cRow + 7] + cCol : 7 * NR;
        if (full && addToC) {
            c00.add(FloatVector.fromArray(SPECIES, out, o0)).intoArray(out, o0);
            c01.add(FloatVector.fromArray(SPECIES, out, o0 + LANES)).intoArray(out, o0 + LANES);
            c10.add(FloatVector.fromArray(SPECIES, out, o1)).intoArray(out, o1);
            c11.add(FloatVector.fromArray(SPECIES, out, o1 + LANES)).intoArray(out, o1 + LANES);
            c20.add(FloatVector.fromArray(SPECIES, out, o2)).intoArray(out, o2);
            c21.add(FloatVector.fromArray(SPECIES, out, o2 + LANES)).intoArray(out, o2 + LANES);
            c30.add(FloatVector.fromArray(SPECIES, out, o3)).intoArray(out, o3);
            c31.add(FloatVector.fromArray(SPECIES, out, o3 + LANES)).intoArray(out, o3 + LANES);
            c40.add(FloatVector.fromArray(SPECIES, out, o4)).intoArray(out, o4);
            c41.add(FloatVector.fromArray(SPECIES, out, o4 + LANES)).intoArray(out, o4 + LANES);
            c50.add(FloatVector.fromArray(SPECIES, out, o5)).intoArray(out, o5);
            c51.add(FloatVector.fromArray(SPECIES, out, o5 + LANES)).intoArray(out, o5 + LANES);
            c60.add(FloatVector.fromArray(SPECIES, out, o6)).intoArray(out, o6);
            c61.add(FloatVector.fromArray(SPECIES, out, o6 + LANES)).intoArray(out, o6 + LANES);
            c70.add(FloatVector.fromArray(SPECIES, out, o7)).intoArray(out, o7);
            c71.add(FloatVector.fromArray(SPECIES, out, o7 + LANES)).intoArray(out, o7 + LANES);
            return;
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + LANES);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + LANES);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + LANES);
        c30.intoArray(out, o3);
        c31.intoArray(out, o3 + LANES);
        c40.intoArray(out, o4);
        c41.intoArray(out, o4 + LANES);
        c50.intoArray(out, o5);
        c51.intoArray(out, o5 + LANES);
        c60.intoArray(out, o6);
        c61.intoArray(out, o6 + LANES);
        c70.intoArray(out, o7);
        c71.intoArray(out, o7 + LANES);
        if (!full) copyEdgeTile(edge, c, cRows, cRow, cCol, rows, cols, addToC);
    }

    /** The part inside C, rows x cols, of a register tile stored in {@code edge} [MR][NR]: added to C or written. */
    private static void copyEdgeTile(float[] edge, float[] c, int[] cRows, int cRow, int cCol, int rows, int cols, boolean addToC) {
        for (int r = 0; r < rows; r++) {
            int ci = cRows[cRow + r] + cCol;
            for (int q = 0; q < cols; q++) {
                c[ci + q] = addToC ? c[ci + q] + edge[r * NR + q] : edge[r * NR + q];
            }
        }
    }
}
