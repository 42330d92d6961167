@regression @measured-on-ese
Feature: What Microsoft's ESE engine proved against the reference
  Each scenario is a divergence the differential fuzzer found between the reference engine and
  Microsoft's ESE built from source (run through the bridge under Wine), decided in the engine's
  favour from the source path named in the scenario's comment, and fixed in the reference
  (docs/implementations/ese.md, "Differential fuzzing against the engine"). Each passes against
  the reference and against that engine, and failed against the reference before its fix.
  They use the generic call steps only, as the fuzzer writes its findings; the catalogue ID is the
  general one (ES-SUCCESS-IDLE: an idle session at the end of the plain life cycle).

  Background:
    When thread t1 calls JetCreateInstance(name="rg1") saving instance as i1
    Then the call returns JET_errSuccess
    When thread t1 calls JetInit(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s1
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateDatabase(sesid=s1, filename="rg1.edb", grbit=0) saving dbid as db
    Then the call returns JET_errSuccess

  # Fuzz seed 401: ErrDIRRollback (dir.cxx 2264-2271) puts every cursor of the session whose
  # navigation level (the level of its open or last move: ErrDIRDown 700, ErrDIRNext 865) is the
  # level rolled back before first; a commit carries the level down (ErrDIRCommitTransaction
  # 2155-2158). Engine: -1603 after the rollback; the reference answered -1017 (a record inserted
  # and rolled back) or 0 (a committed record).
  @ES-SUCCESS-IDLE @esent
  Scenario: A cursor that moved inside a rolled-back transaction is before first, even on a committed record
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=9)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveLast, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 101 (5ff4981): ErrIsamAddColumn leaves the cursor before first (fcreate.cxx
  # 3827-3833) and an insert does not move it. Engine -1603; the reference answered 0.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetAddColumn leaves the table's cursor before first, and an insert does not move it
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 203 (5ff4981): ESE stores the bytes it is given; a Long column takes exactly 4
  # (fldmod.cxx 2423-2440, ErrRECISetIFixedColumn: JET_errInvalidBufferSize for a fixed column
  # given another size).
  # An integer beyond 32 bits travels as 8 bytes, a string as UTF-16. Engine: -1047, -1047, 0.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetSetColumn on a Long column takes 4 bytes only
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=2147483648)
    Then the call returns JET_errInvalidBufferSize
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value="abc")
    Then the call returns JET_errInvalidBufferSize
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value="ab")
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepCancel)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seeds 202 and 307 (6e18e1b): a temp table without a key column is materialized at once,
  # which creates a table in a nested transaction (ErrFILECreateTable, fcreate.cxx 2771), and
  # ErrDIRBeginTransaction checks the transaction's context (dir.cxx 1872-1879). A keyed temp
  # table is a sort and begins no transaction. Engine: -1910, then 0; the reference answered 0.
  @ES-SUCCESS-IDLE @esent
  Scenario: An unkeyed temp table cannot be opened in a transaction whose session context was reset
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess

  # Fuzz seeds 302-306 (6e18e1b): ErrFILEOpenTable checks the name first (fileopen.cxx 1455,
  # ErrUTILCheckName). Engine -1002; the reference answered -1305.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetOpenTable with an empty table name is JET_errInvalidName
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="", grbit=0)
    Then the call returns JET_errInvalidName
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seeds 301, 309 (6e18e1b) and 313 (f6bef65): every temp-table dispatch table has
  # ErrIllegalAddColumn (sortapi.cxx 2847-3154); a materialized temp table can be duplicated, a
  # sort cannot (ErrTTBaseDupCursor, sortapi.cxx 3038, 3478-3486). Engine: -1312, 0, -1312; the
  # reference answered -1323, -1312, -1312.
  @ES-SUCCESS-IDLE @esent
  Scenario: A temp table takes no JetAddColumn; a materialized one can be duplicated, a sort cannot
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="x", coltyp=JET_coltypLong)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c3, grbit=0)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 325 (a2c3888): ErrIsamSetColumn checks the cursor's and the transaction's
  # updatability before the prepared update (fldmod.cxx 1947-1963). Engine -1809; the reference
  # answered -1609.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetSetColumn on a read-only cursor with no prepared update is JET_errPermissionDenied
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=JET_bitTableReadOnly) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=1)
    Then the call returns JET_errPermissionDenied
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 501: JetPrepareUpdate(JET_prepInsertCopy) references the record's long values
  # (ErrRECAffectLongFieldsInWorkBuf, lv.cxx 6054-6058): JET_errNotInTransaction at level 0, after
  # the currency check, and nothing stays prepared (fldmod.cxx 1224-1294). Engine -1054, then
  # -1609 for the cancel; the reference answered 0 and 0.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetPrepareUpdate(JET_prepInsertCopy) needs a transaction
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsertCopy)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsertCopy)
    Then the call returns JET_errNotInTransaction
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepCancel)
    Then the call returns JET_errUpdateNotPrepared
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsertCopy)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 501: JetCreateDatabase looks for the name among the FMPs in use first
  # (FMP::ErrNewAndWriteLatch): another instance's is JET_errDatabaseSharingViolation (fmp.cxx
  # 1190-1233), this instance's becomes JET_errDatabaseDuplicate (db.cxx 1788-1791); a file that
  # exists, attached nowhere, is JET_errDatabaseDuplicate too. Engine -1201, -1215, -1201; the
  # reference answered -1201 for all three.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetCreateDatabase of a file another instance has attached is JET_errDatabaseSharingViolation
    When thread t1 calls JetCreateDatabase(sesid=s1, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseDuplicate
    When thread t1 calls JetCreateInstance(name="rg2") saving instance as i2
    Then the call returns JET_errSuccess
    When thread t1 calls JetInit(instance=i2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i2, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateDatabase(sesid=s2, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseSharingViolation
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetTerm(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateDatabase(sesid=s2, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseDuplicate
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 502: ErrFILECreateTable checks the name first (fcreate.cxx 2675, ErrUTILCheckName);
  # a read-only transaction fails only when the table is written. Engine: "" -1002, "x" -1110;
  # the reference answered -1110 for both.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetCreateTable in a read-only transaction checks the table name first
    When thread t1 calls JetBeginTransaction2(sesid=s1, grbit=JET_bitTransactionReadOnly)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="")
    Then the call returns JET_errInvalidName
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="x")
    Then the call returns JET_errTransReadOnly
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 602: ErrIsamSortDupCursor moves the duplicate of a materialized temp table to the
  # first record, ignoring -1603 (sortapi.cxx 845-852). Engine: JetPrepareUpdate(replace) on the
  # duplicate 0; the reference had left it before first (-1603). No column is named: column ids are
  # the implementation's choice.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetDupCursor of a materialized temp table is on its first record
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepCancel)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepCancel)
    Then the call returns JET_errUpdateNotPrepared
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 601: ErrIsamMove leaves a cursor whose move failed after last (forward) or before
  # first (backward), also from the deferred first position of a new cursor (rec.cxx 1009-1019);
  # JetMove(0) leaves it deferred. Engine: after a failed MovePrevious on an empty table and an
  # insert, -1603; the reference found the inserted record (0).
  @ES-SUCCESS-IDLE @esent
  Scenario: A new cursor whose first move fails is before first or after last, not on the first record
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c4
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetMove(sesid=s1, tableid=c4, cRow=0, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c2, columnid=a)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c3, columnid=a)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c4, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 1
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seeds 601, 602, 603, 605 (issue 13, the open kind of the third campaign): an update, a
  # delete, a long value and DDL each begin a nested transaction (ErrRECIInsert, recupd.cxx 1633;
  # ErrIsamDelete 2366; ErrRECSetLongField, lv.cxx 2497; ErrRECAffectLongFieldsInWorkBuf 6061;
  # ErrFILECreateTable, fcreate.cxx 2771; ErrIsamAddColumn 3447), and ErrDIRBeginTransaction
  # checks the transaction's context (dir.cxx 1872-1879). Navigation and prepInsert begin none.
  # Engine: -1910 for each, the insert stays prepared, then 0 with the context set again; the
  # reference answered 0, 0, 0, 0, 0 and -1603.
  @ES-SUCCESS-IDLE @esent
  Scenario: Updates, long values, deletes and DDL cannot run in a transaction whose session context was reset
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="l", coltyp=JET_coltypLongText) saving columnid as l
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=8)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=l, value="ab")
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t2")
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="b", coltyp=JET_coltypLong)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsertCopy)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t2")
    Then the call returns JET_errSuccess
    When thread t1 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 8
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # The same check with no session context: the transaction belongs to the thread of its level-0
  # begin (PIBSetTrxContext, pib.hxx 1402-1406; FPIBCheckTrxContext 1464). Engine: on t2 -1910
  # for the insert, the delete and the DDL, 0 for navigation; the same prepared insert then 0 on
  # t1; the reference answered 0 for all.
  @ES-SUCCESS-IDLE @esent @needs:threads
  Scenario: Another thread cannot update in a transaction begun without a session context
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t2 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t2 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t2 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSessionSharingViolation
    When thread t2 calls JetCreateTable(sesid=s1, dbid=db, tablename="t2")
    Then the call returns JET_errSessionSharingViolation
    When thread t2 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # The order around the nested transaction: ErrFILECreateTable checks the name (fcreate.cxx 2675)
  # and then begins it (2771); a read-only transaction fails only at the write (bt.cxx 1632).
  # ErrIsamAddColumn checks the cursor, the read-only transaction, the name and the column type
  # (fcreate.cxx 3325-3393) before it (3447), and the duplicate name after (3456). Engine: -1002,
  # -1910, -1110, then -1002, -1910; the reference answered -1002, -1110, -1110, -1002, -1508.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetCreateTable and JetAddColumn check the session context at their nested transaction
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction2(sesid=s1, grbit=JET_bitTransactionReadOnly)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="")
    Then the call returns JET_errInvalidName
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t2")
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="b", coltyp=JET_coltypLong)
    Then the call returns JET_errTransReadOnly
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="", coltyp=JET_coltypLong)
    Then the call returns JET_errInvalidName
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # ErrIsamDelete cancels a prepared update before its nested transaction and before the currency
  # check (recupd.cxx 2344-2350). Engine: JetUpdate -1609 after a JetDelete that succeeded; the
  # reference answered 0.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetDelete cancels a prepared update
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errUpdateNotPrepared
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # A long value goes through ErrRECSetLongField (fldmod.cxx 1789), JET_errNotInTransaction at
  # level 0 (lv.cxx 2488-2492), on a table as on a temp table. Engine: -1054, then 0 in a
  # transaction, the value read back after the commit; the reference answered 0 at level 0.
  @ES-SUCCESS-IDLE @esent
  Scenario: A long value is set only inside a transaction
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="l", coltyp=JET_coltypLongText) saving columnid as l
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=l, value="ab")
    Then the call returns JET_errNotInTransaction
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=l, value="ab")
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=l)
    Then the call returns JET_errSuccess
    And the call's value is "ab"
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # A sort's dispatch tables have ErrIllegalDelete (sortapi.cxx 2912, 2973), and its insert
  # (ErrIsamSortUpdate) begins no nested transaction. Engine: -1312 with the insert still
  # prepared, and 0 for the insert after the context was reset; the reference answered -1603.
  @ES-SUCCESS-IDLE @esent
  Scenario: A sort has no JetDelete, and its insert needs no session context
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepCancel)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 714 (the campaign with threads): a materialized temp table is an index cursor, so
  # ErrIsamSortDupCursor hands its duplicate to ErrIsamDupCursor (sortapi.cxx 819-823), which leaves
  # it deferred first like a table's; only a sort's duplicate is moved to its first record (845-852).
  # Duplicated while empty, then an insert through it: MoveNext passes the record (it was the first),
  # MovePrevious finds it. Engine -1603, then 0; the reference had left it before first (0, -1603).
  @ES-SUCCESS-IDLE @esent
  Scenario: The duplicate of an empty materialized temp table is deferred first, not before first
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Triage item 10 (fuzz seeds 701, 711-714: kind A of the threads campaign): a call on a thread
  # other than the one that set the session context, at level 0, lets ErrDIRBeginTransaction bind
  # its internal transaction to the context (pib.hxx 1407-1411); the insert is made, then its commit
  # (recupd.cxx 1951, dir.cxx 1932-1936) and the error path's rollback (dir.cxx 2228-2235) fail the
  # context check (pib.hxx 1457-1460): the level leaks, the update stays prepared. Engine: the
  # update JET_errSessionSharingViolation, t3's JetEndSession JET_errSessionInUse, the owner's
  # rollback undoes the insert, its JetUpdate then inserts; the reference answered success and
  # left no level (the owner's rollback JET_errNotInTransaction).
  @ES-SUCCESS-IDLE @esent @needs:threads
  Scenario: An insert on another thread than the session context's leaves its transaction to the context's owner
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t3 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t3 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t3 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSessionSharingViolation
    When thread t3 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t3 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSessionSharingViolation
    When thread t3 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSessionInUse
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=8)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errNotInTransaction
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # Triage item 10: JetDelete begins its transaction (recupd.cxx 2366) before the delete, whose
  # commit fails (2471) on another thread than the context's: the record is deleted in a leaked
  # level, which JetEndSession (after the owner reset the context, from any thread:
  # PrepareTrxContextForEnd, pib.hxx 1422-1437) rolls back. Engine: the delete
  # JET_errSessionSharingViolation, s2 still finds the record after the end; the reference deleted it.
  @ES-SUCCESS-IDLE @esent @needs:threads
  Scenario: JetEndSession rolls back a delete made on another thread than the session context's
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=5)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t3 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t2 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetRetrieveColumn(sesid=s2, tableid=c2, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 5
    When thread t2 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess

  # Triage item 10: the internal transactions of a read (JetRetrieveColumn, fldext.cxx 1751-1756, its
  # commit's result ignored at 2275-2279; JetOpenTable, fileopen.cxx 1553-1556) are read-only; DDL's
  # (fcreate.cxx 2771, also under an unkeyed temp table's materialization) fail at their first
  # nested begin; a sort and JetMove begin none. Engine, each on t3: the value and a read-only
  # level (the owner's JetPrepareUpdate JET_errTransReadOnly); JetOpenTable of a missing table
  # JET_errObjectNotFound and a level; JetCreateTable and the unkeyed temp table
  # JET_errSessionSharingViolation, nothing created, a level; a keyed temp table, no level. The
  # reference answered as the owner would and left no level.
  @ES-SUCCESS-IDLE @esent @needs:threads
  Scenario: Reads and DDL on another thread than the session context's leave their transactions to the context's owner
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=5)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 5
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errTransReadOnly
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetOpenTable(sesid=s1, dbid=db, tablename="t9", grbit=0)
    Then the call returns JET_errObjectNotFound
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetCreateTable(sesid=s1, dbid=db, tablename="t2")
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t2", grbit=0)
    Then the call returns JET_errObjectNotFound
    When thread t3 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errNotInTransaction
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # A sort's two dispatch tables (sortapi.cxx 2903-3024; oracle/sort.ts). In insert mode
  # (vtfndefTTSortIns) JetRetrieveColumn and JetDupCursor are -1312 (2936, 2915); the first move
  # ends the insert (ErrTTSortInsMove, 3395-3422: the prepared update cancelled, ErrSORTEndInsert
  # sorts by key and drops a duplicate key, sort.cxx 303-372) and leaves the sort in return mode
  # (vtfndefTTSortRet) on its first record: MoveNext stays there. In return mode JetPrepareUpdate
  # (any prep), JetSetColumn and JetUpdate are -1312 (2994, 3004, 3007), MovePrevious is -1312
  # without JET_bitTTScrollable (ErrIsamSortMove 435-439), and JetDupCursor gives a cursor on the
  # first record (ErrTTSortRetDupCursor 3466-3475, ErrIsamSortDupCursor 845-852). Engine (probe
  # through the bridge): as below; the reference answered -1603 to the reads, 0 to the writes
  # after the move, -1312 to the duplicate and read the records in insertion order.
  @ES-SUCCESS-IDLE @esent
  Scenario: A sort answers by its mode: inserts before the first move, reads in key order after it
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}, {"coltyp":4,"grbit":0}], grbit=0) saving tableid as c1 and columnids as k
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=5)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.1, value=51)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=5)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=-7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=k.0)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c1, grbit=0)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=k.0)
    Then the call returns JET_errSuccess
    And the call's value is 3
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=k.0)
    Then the call returns JET_errSuccess
    And the call's value is 5
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepCancel)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=1)
    Then the call returns JET_errIllegalOperation
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c2, columnid=k.0)
    Then the call returns JET_errSuccess
    And the call's value is 3
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # A sort's SCB holds its MaxTemporaryTables slot until the last cursor on it is closed
  # (SORTClose, sort.cxx 769-810), and JET_bitTTUpdatable materializes the sort at its first move
  # (ErrTTEndInsert, sortapi.cxx 3340-3347), which releases the SCB (2621-2628) and leaves the cursor
  # before the first record. Engine: -1701 while the duplicate is open, 0 after its close; the
  # updatable sort's JetMove(0) -1603, another sort 0, MoveNext on the smallest key; the reference
  # answered -1312 to the duplicate and -1701 after the updatable sort's move.
  @ES-SUCCESS-IDLE @esent
  Scenario: A sort keeps its temp-table slot while a duplicate is open; an updatable sort frees it at its first move
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=db, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetTerm(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateInstance(name="rg2") saving instance as i2
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSystemParameter(instance=i2, sesid=null, paramid=JET_paramMaxTemporaryTables, lParam=2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetInit(instance=i2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i2, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetDupCursor(sesid=s2, tableid=c1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s2, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=4) saving tableid as c3 and columnids as k
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0)
    Then the call returns JET_errTooManySorts
    When thread t1 calls JetCloseTable(sesid=s2, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c4
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0)
    Then the call returns JET_errTooManySorts
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c3, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c3, columnid=k.0, value=5)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c3, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c3, columnid=k.0, value=3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c3, cRow=0, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=c3, columnid=k.0)
    Then the call returns JET_errSuccess
    And the call's value is 3
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c3, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess

  # A materialized temp table is a table of the temp database: its writes are versioned as a
  # table's (ErrRECInsert recupd.cxx 1633, 1844; ErrDIRReplace 3254; ErrDIRDelete 2431), so a
  # rollback undoes them: a nested level's insert by that level's rollback, one committed into
  # level 1 by level 1's rollback. Engine: as below; the reference kept every write (MoveFirst 0 on
  # the rolled-back insert, 11 after the replace's rollback, 40 after the outer rollback).
  @ES-SUCCESS-IDLE @esent
  Scenario: A materialized temp table's writes inside a transaction are undone by its rollback
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) saving tableid as c1 and columnids as k
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=10)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=11)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=k.0)
    Then the call returns JET_errSuccess
    And the call's value is 10
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDelete(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=40)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=k.0)
    Then the call returns JET_errSuccess
    And the call's value is 10
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess

  # [held-write] A JetUpdate held in its BeforeReplace callback (recupd.cxx 3024) has begun its
  # nested transaction (3004) and, prepared at level 0 (the NoLock way, fldmod.cxx 1137-1140), taken
  # the record's write lock (ErrRECUpgradeReplaceNoLock, 3020, 2883): until it completes another
  # session's replace or delete of that record is JET_errWriteConflict, at level 0 and in a
  # transaction, while readers see the record as it was and the next record is free. Engine: as
  # below; the reference, holding nothing until the release, let s3's replace and delete through
  # and then answered JET_errRecordDeleted to the held update.
  @ES-SUCCESS-IDLE @esent @needs:threads @needs:in-flight
  Scenario: A held JetUpdate write-locks the record it replaces until it completes
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t2 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t2 calls JetSetColumn(sesid=s2, tableid=c2, columnid=a, value=20)
    Then the call returns JET_errSuccess
    When thread t3 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s3
    Then the call returns JET_errSuccess
    When thread t3 calls JetOpenDatabase(sesid=s3, filename="rg1.edb", grbit=0) saving dbid as db3
    Then the call returns JET_errSuccess
    When thread t3 calls JetOpenTable(sesid=s3, dbid=db3, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    Given thread t2 holds JetUpdate(sesid=s2, tableid=c2) in flight
    When thread t3 calls JetRetrieveColumn(sesid=s3, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t3 calls JetPrepareUpdate(sesid=s3, tableid=c3, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t3 calls JetSetColumn(sesid=s3, tableid=c3, columnid=a, value=30)
    Then the call returns JET_errSuccess
    When thread t3 calls JetUpdate(sesid=s3, tableid=c3)
    Then the call returns JET_errWriteConflict
    When thread t3 calls JetPrepareUpdate(sesid=s3, tableid=c3, prep=JET_prepCancel)
    Then the call returns JET_errSuccess
    When thread t3 calls JetDelete(sesid=s3, tableid=c3)
    Then the call returns JET_errWriteConflict
    When thread t3 calls JetBeginTransaction(sesid=s3)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRetrieveColumn(sesid=s3, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t3 calls JetPrepareUpdate(sesid=s3, tableid=c3, prep=JET_prepReplace)
    Then the call returns JET_errWriteConflict
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetPrepareUpdate(sesid=s3, tableid=c3, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRollback(sesid=s3, grbit=0)
    Then the call returns JET_errSuccess
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRetrieveColumn(sesid=s3, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 20
    When thread t3 calls JetBeginTransaction(sesid=s3)
    Then the call returns JET_errSuccess
    When thread t3 calls JetPrepareUpdate(sesid=s3, tableid=c3, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRollback(sesid=s3, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errNotInTransaction

  # [held-write] A JetDelete held in its BeforeDelete callback (recupd.cxx 2387) has locked nothing
  # (its ErrDIRGetLock comes after, 2391), but its nested transaction began before (2366): at level 0
  # its snapshot is the hold's, so a record another session changed or deleted meanwhile is
  # JET_errWriteConflict at the release. Engine: as below; the reference deleted s3's new record
  # (JET_errSuccess), and answered JET_errRecordDeleted after s3's delete.
  @ES-SUCCESS-IDLE @esent @needs:threads @needs:in-flight
  Scenario: A held JetDelete conflicts with a change made while it was held
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t2 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s3
    Then the call returns JET_errSuccess
    When thread t3 calls JetOpenDatabase(sesid=s3, filename="rg1.edb", grbit=0) saving dbid as db3
    Then the call returns JET_errSuccess
    When thread t3 calls JetOpenTable(sesid=s3, dbid=db3, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    Given thread t2 holds JetDelete(sesid=s2, tableid=c2) in flight
    When thread t3 calls JetPrepareUpdate(sesid=s3, tableid=c3, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t3 calls JetSetColumn(sesid=s3, tableid=c3, columnid=a, value=10)
    Then the call returns JET_errSuccess
    When thread t3 calls JetUpdate(sesid=s3, tableid=c3)
    Then the call returns JET_errSuccess
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errWriteConflict
    When thread t3 calls JetRetrieveColumn(sesid=s3, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 10
    When thread t2 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errNotInTransaction
    When thread t2 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    Given thread t2 holds JetDelete(sesid=s2, tableid=c2) in flight
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetDelete(sesid=s3, tableid=c3)
    Then the call returns JET_errSuccess
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errWriteConflict
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t3 calls JetRetrieveColumn(sesid=s3, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 10
    When thread t3 calls JetMove(sesid=s3, tableid=c3, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord

  # [held-write] A replace prepared at level 0 keeps the record's checksum (StoreChecksum,
  # fldmod.cxx 1211-1214); JetUpdate compares it once it holds the lock (ErrRECUpgradeReplaceNoLock,
  # recupd.cxx 2883-2897): a record another session changed since is JET_errWriteConflict, and the
  # update stays prepared; the same value written back is no conflict. Engine: as below; the
  # reference overwrote s2's change (JET_errSuccess).
  @ES-SUCCESS-IDLE @esent
  Scenario: A replace prepared at level 0 conflicts with a change committed after the prepare
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=20)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c2, columnid=a, value=30)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errWriteConflict
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errWriteConflict
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepCancel)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=21)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c2, columnid=a, value=30)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=c2, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 21

  # Fuzz seed 802 (issue 13, the campaign on 0243714): a column added in a transaction is versioned,
  # and ErrRECIAccessColumn (fldext.cxx 234-270) looks it up in the catalog under the caller's
  # snapshot (ErrCATAccessTableColumn): another session's JetRetrieveColumn and JetSetColumn (fldmod.cxx
  # 1693) are JET_errColumnNotFound until the commit, and so is a transaction begun before it; a
  # rolled-back column is gone for everyone. Engine: as below; the reference read and set the column.
  @ES-SUCCESS-IDLE @esent
  Scenario: A column added in a transaction is not found by another session until its snapshot sees the commit
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=JET_bitTableUpdatable) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s2, tableid=c2, column="c", coltyp=JET_coltypText) saving columnid as c
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=c)
    Then the call returns JET_errColumnNotFound
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=c, value="x")
    Then the call returns JET_errColumnNotFound
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepCancel)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c2, columnid=c, value="v")
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=c2, columnid=c)
    Then the call returns JET_errSuccess
    And the call's value is "v"
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=c)
    Then the call returns JET_errColumnNotFound
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=c)
    Then the call returns JET_errSuccess
    And the call's value is "v"
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s2, tableid=c2, column="d", coltyp=JET_coltypLong) saving columnid as d
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c2, columnid=d, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=d)
    Then the call returns JET_errColumnNotFound
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=d)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t1 calls JetBeginTransaction(sesid=s2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s2, tableid=c2, column="e", coltyp=JET_coltypText) saving columnid as e
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c1, columnid=e)
    Then the call returns JET_errColumnNotFound
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=c2, columnid=e)
    Then the call returns JET_errColumnNotFound

  # Fuzz seed 802 (issue 13, the campaign on 0243714): JetCreateTable of a duplicate name fails in
  # ErrCATAddTable (cat.cxx 2598) after ErrDIRCreateDirectory allocated the table's space (fcreate.cxx
  # 2781); the rollback of its error path frees that space through VERIFreeExt (ver.cxx 5132-5176),
  # which opens and closes the database for the session, and the close drops the session's exclusive
  # open (ErrDBCloseDatabase, db.cxx 6446-6447). A JetRollback that undoes a JetCreateTable does the
  # same; a commit keeps it. Engine: as below; the reference kept the exclusive open (-1207).
  @ES-SUCCESS-IDLE @esent
  Scenario: Undoing a table's creation drops the session's exclusive open of the database
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=db, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="rg1.edb", grbit=JET_bitDbExclusive) saving dbid as dbx
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseLocked
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=dbx, tablename="t2") saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseLocked
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=dbx, tablename="t3") saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseLocked
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseDatabase(sesid=s2, dbid=db2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=dbx, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="rg1.edb", grbit=JET_bitDbExclusive) saving dbid as dbx
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseLocked
    When thread t1 calls JetCreateTable(sesid=s1, dbid=dbx, tablename="t1")
    Then the call returns JET_errTableDuplicate
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db3
    Then the call returns JET_errSuccess
    # Only the undoing session's own exclusive open is dropped (db.cxx 6446-6447): with s1's opens
    # closed, s2 opens the database exclusively while s1's new table is still uncommitted, and the
    # end's rollback of that table leaves s2's exclusive open in place.
    When thread t1 calls JetCloseDatabase(sesid=s2, dbid=db3, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=dbx, tablename="t5") saving tableid as c5
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c5)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=dbx, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=JET_bitDbExclusive) saving dbid as db4
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s3
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s3, filename="rg1.edb", grbit=0)
    Then the call returns JET_errDatabaseLocked
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db4, tablename="t5", grbit=0)
    Then the call returns JET_errObjectNotFound

  # Fuzz seed 804 (issue 13, the campaign on 0243714): the last close of a materialized temp table
  # frees its FDP (ErrFILECloseTable, fileopen.cxx 2152-2241) with ErrSPFreeFDP, which begins a
  # transaction at level 0 (space.cxx 10882-10886) and commits it (11044) ignoring the result: off
  # the session context's thread the commit fails its context check and the level leaks (as in
  # triage item 10), while JetCloseTable answers 0. A JetOpenTable on that thread then needs no
  # read-only transaction of its own (fileopen.cxx 1553-1556) and succeeds; the owner rolls the level
  # back. Engine: as below; the reference answered -1910 and then -1054.
  @ES-SUCCESS-IDLE @esent @needs:threads
  Scenario: Closing a materialized temp table off the session context's thread leaks its transaction to the context's owner
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t2 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errNotInTransaction
    When thread t2 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess

  # Kind I of the fuzz campaign on 0243714 (seed 802, run 385; issue 13): a cursor a session opens on
  # a table takes the session's defer-closed cursor on it instead of a new one (ErrBTOpen, bt.cxx
  # 496-560). After an insert in a transaction that is the insert's own cursor (ErrRECInsert,
  # recupd.cxx 1667-1946, deferred at its close, bt.cxx 770-777); the reuse keeps its versioned flag
  # (536-544), so the user's close of it is deferred again and its tableid stays a handle that
  # FEnter checks first: after JetStopServiceInstance -1329 where a freed tableid is -1310 (the
  # user's inserting cursor, closed at once). Engine: as below (and no new cursor slot: another
  # session's JetOpenTable count with MaxCursors 16 is 14 before and after the open); the reference
  # answered -1310 for c3.
  @ES-SUCCESS-IDLE @esent
  Scenario: A table opened again after an insert in a transaction takes the session's deferred-closed cursor
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errInvalidTableId
    When thread t1 calls JetStopServiceInstance(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errInvalidTableId
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errClientRequestToStopJetService

  # The same reuse in a nested level (kind I): the reused cursor's levelReuse (bt.cxx 525-528) makes a
  # rollback of that level close it, but its versions are the level-1 insert's, so the close is
  # deferred until level 1 ends. Engine: -1310 after the rollback, -1329 after JetStopServiceInstance.
  @ES-SUCCESS-IDLE @esent
  Scenario: A deferred-closed cursor taken again in a nested level stays deferred after that level's rollback
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errInvalidTableId
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetStopServiceInstance(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errClientRequestToStopJetService

  # Fuzz seed 821 (issue 13, the campaign with held writes, runs 108 and 405): ErrTermComplete holds
  # the instance's API critical section while it waits for the calls in flight (jetapi.cxx 20859,
  # the wait 20905-20929, released at 20932), so a second JetTerm or JetTerm2 of the instance blocks
  # at its Enter instead of answering; once the first term has locked the API for termination
  # (20931) it answers JET_errTermInProgress. Engine: as below; the reference answered -1000 at once.
  @ES-SUCCESS-IDLE @esent @needs:threads @needs:in-flight
  Scenario: A second term of the instance waits while the first waits for a held JetUpdate
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t2 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t2 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t2 calls JetSetColumn(sesid=s2, tableid=c2, columnid=a, value=10)
    Then the call returns JET_errSuccess
    Given thread t2 holds JetUpdate(sesid=s2, tableid=c2) in flight
    When thread t3 starts JetTerm2(instance=i1, grbit=JET_bitTermComplete)
    Then the call on thread t3 is still waiting
    When thread t1 starts JetTerm(instance=i1)
    Then the call on thread t1 is still waiting
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    And the call on thread t3 returns JET_errSuccess
    And the call on thread t1 returns JET_errTermInProgress

  # Errata 7 and triage item 14 (issue 13; the Stryker survivor of the reuse rule): a defer-closed cursor
  # that holds a DenyRead or DenyWrite lock is never taken again by ErrBTOpen (FFUCBNotReuse, fucb.hxx
  # 563-570, checked at bt.cxx 515): only such a cursor's own final close at level 0 releases the
  # domain lock (FUCBCloseDeferredClosed, fucb.hxx 1642-1645), and a reuse resets its flags (538).
  # Engine (ESENT flavour): as below: the lock stays, the session reads its own replace through a
  # new cursor, whose tableid is freed at its close (-1310 after JetStopServiceInstance, where a taken
  # defer-closed cursor's answers -1329), while the deferred DenyRead cursor stays live (-1329).
  @ES-SUCCESS-IDLE @esent
  Scenario: A DenyRead cursor closed after a replace in a transaction is not taken again: the new open is freed at its close
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=JET_bitTableDenyRead) saving tableid as c2
    Then the call returns, by tier:
      | tier  | returns                                     |
      | esent | JET_errSuccess or JET_wrnTableInUseBySystem |
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=JET_bitTableDenyRead)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetStopServiceInstance(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errInvalidTableId
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errClientRequestToStopJetService

  # The same with a DenyWrite lock and a delete: the open after the close is a new cursor (its closed
  # tableid -1310 after JetStopServiceInstance, where a taken defer-closed one answers -1329), the
  # deferred DenyWrite cursor stays live (-1329) and still denies the session's own DenyWrite (-1304).
  @ES-SUCCESS-IDLE @esent
  Scenario: A DenyWrite cursor closed after a delete in a transaction is not taken again: the new open is freed at its close
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=JET_bitTableDenyWrite) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDelete(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=JET_bitTableDenyWrite)
    Then the call returns JET_errTableInUse
    When thread t1 calls JetStopServiceInstance(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errInvalidTableId
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errClientRequestToStopJetService

  # The same DenyRead lock after the transaction ends: the rollback's final close of the deferred
  # cursor releases it (FUCBCloseDeferredClosed), and another session then opens the table DenyRead
  # and reads the replace undone. Engine (ESENT flavour): as below.
  @ES-SUCCESS-IDLE @esent
  Scenario: The DenyRead lock of a cursor closed after a replace in a transaction ends with the rollback
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=JET_bitTableDenyRead) saving tableid as c2
    Then the call returns, by tier:
      | tier  | returns                                     |
      | esent | JET_errSuccess or JET_wrnTableInUseBySystem |
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=JET_bitTableDenyRead)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=JET_bitTableDenyRead) saving tableid as d1
    Then the call returns, by tier:
      | tier  | returns                                     |
      | esent | JET_errSuccess or JET_wrnTableInUseBySystem |
    When thread t1 calls JetMove(sesid=s2, tableid=d1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=d1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 1
    When thread t1 calls JetCloseTable(sesid=s2, tableid=d1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0)
    Then the call returns JET_errSuccess

  # Triage item 16 (issue 13): JetDupCursor opens its cursor through ErrDIROpen (ErrIsamDupCursor,
  # fileopen.cxx 22; dir.cxx 288), so ErrBTOpen takes the session's defer-closed cursor on the table
  # as JetOpenTable does (bt.cxx 505-560): after an insert in a transaction, the insert's own cursor.
  # Its close is deferred again and its tableid stays live. Engine (ESENT flavour): as below; the
  # reference, which gave the duplicate a new cursor, answered -1310 to the last JetMove.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetDupCursor after an insert in a transaction takes the session's deferred-closed cursor
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c2, grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c3, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 7
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c3)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errInvalidTableId
    When thread t1 calls JetStopServiceInstance(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c3, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errClientRequestToStopJetService

  # Prep codes 7 and 9 (issue 13, What is left; the fuzzer sends neither): JET_prepInsertCopyDeleteOriginal
  # and JET_prepInsertCopyReplaceOriginal take the record's write lock (ErrDIRGetLock, fldmod.cxx
  # 1235-1238) and copy it; JetUpdate deletes the original through the cursor and inserts the copy
  # (ErrRECIInsert, recupd.cxx 1656-1660; the cursor is left on the deleted original, -1017, in
  # test/oracle/prep-codes.test.ts: the code catalogue has no name for it). On a table without
  # an autoincrement column both are the same. Written as numbers (jethdr.w 4943, 4949): the judge's
  # code catalogue does not name them. Engine (ESENT flavour): as below; the reference answered -1003.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetUpdate after JET_prepInsertCopyDeleteOriginal (7) or ReplaceOriginal (9) deletes the original and inserts the copy
    When thread t1 calls JetCreateTable(sesid=s1, dbid=db, tablename="t1") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="a", coltyp=JET_coltypLong) saving columnid as a
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=a, value=2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=db, tablename="t1", grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=11)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=c2, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="rg1.edb", grbit=0) saving dbid as db2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=db2, tablename="t1", grbit=0) saving tableid as d1
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=d1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=9)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=d1, prep=JET_prepReplace)
    Then the call returns JET_errWriteConflict
    When thread t1 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=a, value=12)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=d1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=d1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 11
    When thread t1 calls JetMove(sesid=s2, tableid=d1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=d1, columnid=a)
    Then the call returns JET_errSuccess
    And the call's value is 12
    When thread t1 calls JetMove(sesid=s2, tableid=d1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errNoCurrentRecord

  # Fuzz seed 904 (campaign on 9ca2beb): ErrIsamSortOpen's ErrSORTTableOpen takes the cursor and the
  # SCB first (sortapi.cxx 76; sort.cxx 92-96: -1701 when MaxTemporaryTables is used up), and only
  # then refuses a column type a variable column cannot have (sortapi.cxx 210, ErrRECAddFieldDef,
  # fileopen.cxx 354-356: -1511, which the judge's code catalogue does not name: that step lives in
  # test/oracle/temp-open-order.test.ts). Engine: -1701, then with the sort closed -1511 and a new
  # sort 0 (the failed open closes its sort, sortapi.cxx 317); the reference answered -1511 first.
  @ES-SUCCESS-IDLE @esent
  Scenario: JetOpenTempTable checks the MaxTemporaryTables quota before its column types
    When thread t1 calls JetCreateInstance(name="rg2") saving instance as i2
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSystemParameter(instance=i2, sesid=null, paramid=JET_paramMaxTemporaryTables, lParam=1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetInit(instance=i2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i2, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64},{"coltyp":99,"grbit":0}], grbit=0)
    Then the call returns JET_errTooManySorts
    When thread t1 calls JetCloseTable(sesid=s2, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s2, tableid=c2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess

  # Fuzz seed 912 (a scratch campaign on 9ca2beb): JetCreateDatabase on a thread other than the
  # one that set the session context, at level 0. ErrDBInitDatabase's transaction binds to the
  # context (triage item 10) and its work fails -1910 (db.cxx 275-305); a logged creation that fails
  # purges the half-created file and takes the instance offline (db.cxx 2296-2318,
  # SetInstanceUnavailable). Engine: -1910, then -1090 for every call, JetTerm 0, and a new instance
  # creates the file anew; the reference answered 0 and created the database.
  @ES-SUCCESS-IDLE @esent @needs:threads
  Scenario: JetCreateDatabase off the thread that set the session context takes the instance offline
    When thread t1 calls JetSetSessionContext(sesid=s1, context=4660)
    Then the call returns JET_errSuccess
    When thread t2 calls JetCreateDatabase(sesid=s1, filename="rg9.edb", grbit=0)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errInstanceUnavailable
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errInstanceUnavailable
    When thread t1 calls JetTerm(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateInstance(name="rg2") saving instance as i2
    Then the call returns JET_errSuccess
    When thread t1 calls JetInit(instance=i2)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i2, username="", password="") saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateDatabase(sesid=s2, filename="rg9.edb", grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
