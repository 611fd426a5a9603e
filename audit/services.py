"""The bulk history writers moved to crm.history (apps below audit use them).

Re-exported here only because the demo-data command and bench/audit_history.py import them from
this module and are being changed in parallel; switch those imports and delete this module.
"""

from crm.history import history_record_bulk, history_record_objects, history_record_pks

__all__ = ["history_record_bulk", "history_record_objects", "history_record_pks"]
