export declare function templateName(): string;
/** Creates and migrates the run's template database, once (safe to call from several global setups). */
export declare function ensureTemplate(): Promise<void>;
export interface TestDatabase {
    name: string;
    /** As the application role (row-level security applies). */
    appUrl: string;
    /** As the owner (bypasses row-level security: for checks only). */
    ownerUrl: string;
    drop(): Promise<void>;
}
export declare function createTestDatabase(): Promise<TestDatabase>;
/** Drops this run's test databases (its template and every copy). */
export declare function dropTestDatabases(): Promise<void>;
//# sourceMappingURL=db.d.ts.map