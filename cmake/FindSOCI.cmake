# FindSOCI.cmake -- locate SOCI 4.x as packaged by Debian (which ships no CMake config).
#
# Components: sqlite3 postgresql mysql (core is always searched).
# Imported targets: SOCI::core, SOCI::sqlite3, SOCI::postgresql, SOCI::mysql.
# Result variables: SOCI_FOUND, SOCI_INCLUDE_DIR, SOCI_VERSION.

find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h)
find_library(SOCI_core_LIBRARY NAMES soci_core)

if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
    file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_ver REGEX "#define SOCI_LIB_VERSION \"")
    string(REGEX REPLACE ".*\"([0-9_]+)\".*" "\\1" _soci_ver "${_soci_ver}")
    string(REPLACE "_" "." SOCI_VERSION "${_soci_ver}")
endif()

# Backend client headers that SOCI's backend headers include, and the client libraries (code
# that includes a backend header may call the client library directly, e.g. sqlite3_reset).
set(_soci_sqlite3_client_lib sqlite3)
set(_soci_postgresql_client_lib pq)
set(_soci_mysql_client_lib mariadb mysqlclient)
set(_soci_sqlite3_hint_headers sqlite3.h)
set(_soci_postgresql_hint_headers libpq-fe.h)
set(_soci_mysql_hint_headers mysql.h)
set(_soci_postgresql_suffixes postgresql)
set(_soci_mysql_suffixes mariadb mysql)

set(_soci_required_vars SOCI_INCLUDE_DIR SOCI_core_LIBRARY)
foreach(_comp IN LISTS SOCI_FIND_COMPONENTS)
    find_library(SOCI_${_comp}_LIBRARY NAMES soci_${_comp})
    find_path(SOCI_${_comp}_CLIENT_INCLUDE_DIR NAMES ${_soci_${_comp}_hint_headers}
              PATH_SUFFIXES ${_soci_${_comp}_suffixes})
    find_library(SOCI_${_comp}_CLIENT_LIBRARY NAMES ${_soci_${_comp}_client_lib})
    if(SOCI_${_comp}_LIBRARY AND SOCI_${_comp}_CLIENT_INCLUDE_DIR AND SOCI_${_comp}_CLIENT_LIBRARY)
        set(SOCI_${_comp}_FOUND TRUE)
    else()
        set(SOCI_${_comp}_FOUND FALSE)
    endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SOCI
    REQUIRED_VARS ${_soci_required_vars}
    VERSION_VAR SOCI_VERSION
    HANDLE_COMPONENTS)

if(SOCI_FOUND AND NOT TARGET SOCI::core)
    add_library(SOCI::core UNKNOWN IMPORTED)
    set_target_properties(SOCI::core PROPERTIES
        IMPORTED_LOCATION "${SOCI_core_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
    foreach(_comp IN LISTS SOCI_FIND_COMPONENTS)
        if(SOCI_${_comp}_FOUND AND NOT TARGET SOCI::${_comp})
            add_library(SOCI::${_comp} UNKNOWN IMPORTED)
            set_target_properties(SOCI::${_comp} PROPERTIES
                IMPORTED_LOCATION "${SOCI_${_comp}_LIBRARY}"
                INTERFACE_INCLUDE_DIRECTORIES "${SOCI_${_comp}_CLIENT_INCLUDE_DIR}"
                INTERFACE_LINK_LIBRARIES "SOCI::core;${SOCI_${_comp}_CLIENT_LIBRARY}")
        endif()
    endforeach()
endif()

mark_as_advanced(SOCI_INCLUDE_DIR SOCI_core_LIBRARY)
