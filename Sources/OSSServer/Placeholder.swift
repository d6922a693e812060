enum OSSServerPlaceholder {}
