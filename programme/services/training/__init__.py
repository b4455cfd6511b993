"""Training, one module per use case: the course catalogue (`catalogue`), staff records
(`staff_members`), scheduling sessions (`schedule`), enrolling people (`enrolment`), recording
attendance (`registers`, the one writer of attendance), who has completed what (`completion`)
and what it cost (`costs`). Import the module you need; nothing is re-exported here."""
